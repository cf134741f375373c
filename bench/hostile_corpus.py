"""Hostile corpus: does every bad file cost at most a few seconds and a few hundred MB?

Regenerates, in a temporary folder, mutations of real excerpts (tests/fixtures and
data/transcripts): truncation, random bytes, huge lines, BOMs, UTF-16, CRLF, nested
HTML, YAML bombs, emphasis runs, very many turns, names that are not UTF-8, a huge
file; plus good files beside them. Each file is ingested alone in a fresh process
(its ingest time, and its peak resident memory, VmHWM), then the whole folder
in one ``quotebot ingest`` run, which must end with every good file stored.

    .venv/bin/python -m bench.hostile_corpus [--huge-mb 200 | --two-gb] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import ROOT

SEEDS = ROOT / "data" / "transcripts"
FIXTURES = ROOT / "tests" / "fixtures"
# What every file must stay within (ingest time in its process; peak resident memory
# of that process, the interpreter's own ~60 MB included).
MAX_SECONDS = 5.0
MAX_MB = 300.0
# A child that has not finished by then has hung: it is killed and fails the check.
CHILD_TIMEOUT_S = 120
# Default size of the huge file; --two-gb makes it 2 GiB (written once, sparse-free).
HUGE_MB = 200
RANDOM_SEED = 20240704


@dataclass
class Case:
    name: bytes  # a file name may be any bytes
    data: bytes
    expect: str  # "stored", "skipped" or "any" (must just finish within the limits)
    what: str
    # Bytes of seed text written in chunks instead of ``data`` (the huge file).
    huge: int = 0


@dataclass
class Measure:
    file: str
    what: str
    size: int
    expect: str
    status: str
    reason: str
    seconds: float
    peak_mb: float
    ok: bool


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _unique(text: str, n: int) -> str:
    """A seed made distinct (so no copy is a duplicate of another) by one more exchange."""
    return f"{text}\nRemark: Copy number {n}?\nVladimir Putin: Yes, copy {n}.\n"


def _cases(huge_bytes: int) -> list[Case]:
    rng = random.Random(RANDOM_SEED)
    plain, kremlin, rev = _seed("000"), _seed("001"), _seed("002")
    page = (FIXTURES / "kremlin_html" / "60897.html").read_text(encoding="utf-8")
    briefing = (FIXTURES / "markdown" / "briefing.md").read_text(encoding="utf-8")
    podcast = (FIXTURES / "markdown" / "podcast.md").read_text(encoding="utf-8")
    cases = [
        # good files: real excerpts, some in other encodings and line ends
        *(
            Case(p.name.encode(), p.read_bytes(), "stored", "seed transcript")
            for p in sorted(SEEDS.glob("*.txt"))
        ),
        *(
            Case(p.name.encode(), p.read_bytes(), "stored", "fixture")
            for p in sorted((FIXTURES / "kremlin_html").glob("*.html"))
        ),
        Case(b"briefing.md", briefing.encode(), "stored", "fixture"),
        Case(b"podcast.md", podcast.encode(), "stored", "fixture"),
        Case(b"bom-utf8.txt", b"\xef\xbb\xbf" + _unique(plain, 1).encode(), "stored", "UTF-8 BOM"),
        Case(b"utf16-bom.txt", _unique(plain, 2).encode("utf-16"), "stored", "UTF-16 with BOM"),
        Case(b"utf16be.txt", _unique(plain, 3).encode("utf-16-be"), "stored", "UTF-16 BE, no BOM"),
        Case(b"utf32.txt", _unique(plain, 4).encode("utf-32"), "stored", "UTF-32 with BOM"),
        Case(b"crlf.txt", _unique(kremlin, 5).replace("\n", "\r\n").encode(), "stored", "CRLF"),
        Case(b"crlf.md", briefing.replace("\n", "\r\n").encode(), "stored", "CRLF briefing"),
        Case(b"caf\xe9 latin1 name.txt", _unique(plain, 6).encode(), "stored", "name not UTF-8"),
        Case(b"line\nbreak name.txt", _unique(plain, 7).encode(), "stored", "newline in name"),
        Case(
            b"cp1252.txt",
            _unique(plain, 8).replace("’", "'").encode("cp1252", "replace"),
            "stored",
            "Windows-1252",
        ),
        # hostile files
        Case(b"empty.txt", b"", "skipped", "empty"),
        Case(
            b"truncated.txt", kremlin.encode()[: len(kremlin) // 3 + 1], "any", "cut mid-character"
        ),
        Case(b"truncated.html", page.encode()[: len(page) // 2], "any", "HTML cut in half"),
        Case(b"random.txt", rng.randbytes(200_000), "any", "random bytes"),
        Case(b"noisy.txt", _noise(rng, _unique(plain, 9).encode()), "any", "1% of bytes random"),
        Case(
            b"huge-line.txt",
            ("Vladimir Putin: " + "word " * 700_000).encode(),
            "any",
            "one 3.5 MB line",
        ),
        Case(
            b"spaces.txt",
            _unique(plain, 10)
            .replace("It is a tragedy", "It is a" + " " * 100_000 + "tragedy")
            .encode(),
            "stored",
            "100,000 spaces in a line",
        ),
        Case(
            b"nested-divs.html",
            page.replace("<body>", "<body>" + "<div>" * 220_000, 1).encode(),
            "skipped",
            "1.1 MB of nested divs",
        ),
        Case(
            b"flat-divs.html",
            page.replace("<body>", "<body>" + "<div></div>" * 100_000, 1).encode(),
            "stored",
            "1.1 MB of closed divs",
        ),
        Case(
            b"bold-run.html",
            page.replace("<p>", "<p>" + "<b>x</b>" * 100_000, 1).encode(),
            "any",
            "100,000 bold tags in a paragraph",
        ),
        Case(
            b"huge-heading.html",
            re.sub(r"(<h1[^>]*>)[^<]*", lambda m: m[1] + "Meeting - " * 1_000, page).encode(),
            "stored",
            "10 KB heading",
        ),
        Case(
            b"long-title.md",
            briefing.replace('title: "Press Gaggle', 'title: "' + "Press Gaggle " * 320).encode(),
            "stored",
            "4,100-character title",
        ),
        Case(
            b"yaml-bomb.md", _yaml_bomb(briefing).encode(), "stored", "YAML alias bomb in the title"
        ),
        Case(
            b"yaml-deep.md",
            briefing.replace(
                "tags: press-briefings", "tags: " + "[" * 5_000 + "]" * 5_000
            ).encode(),
            "stored",
            "YAML nested 5,000 deep",
        ),
        Case(
            b"emphasis.md",
            briefing.replace("Long time, no see.", "*a " * 40_000).encode(),
            "stored",
            "'*a ' 40,000 times",
        ),
        Case(
            b"struck.md",
            briefing.replace("Long time, no see.", "<s>gone " * 40_000).encode(),
            "stored",
            "40,000 unclosed <s>",
        ),
        Case(
            b"brackets.txt",
            rev.replace("That’s a list of topics.", "[" * 100_000).encode(),
            "stored",
            "rev line of 100,000 brackets",
        ),
        Case(
            b"many-names.txt", _turns(24_500, "Person {i}"), "stored", "49,000 turns, all names new"
        ),
        Case(b"tiny-turns.txt", b"Q:a?\nA:b.\n" * 150_000, "skipped", "300,000 tiny turns"),
        Case(b"million-turns.txt", b"Q:a\nA:b\n" * 500_000, "skipped", "1,000,000 turns in 4 MB"),
        Case(b"many-turns.md", _markdown_turns(), "skipped", "340,000 Markdown turns"),
        Case(
            b"near-limit.txt",
            _to_size(kremlin, 4 * 2**20 - 100_000),
            "stored",
            "3.9 MiB of real turns",
        ),
        Case(b"binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 100, "skipped", "binary"),
    ]
    cases.append(
        Case(b"huge.txt", b"", "skipped", f"{huge_bytes / 2**20:,.0f} MiB file", huge_bytes)
    )
    return cases


def _noise(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(len(out) // 100):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _yaml_bomb(briefing: str) -> str:
    lines = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(lines)
    return re.sub(r"^title: .*$", lambda _: bomb + "\ntitle: *i", briefing, count=1, flags=re.M)


def _turns(n: int, asker: str) -> bytes:
    return "".join(
        f"{asker.format(i=i)}: Number {i}?\nVladimir Putin: Answer {i}.\n" for i in range(n)
    ).encode()


def _markdown_turns() -> bytes:
    """340,000 podcast turns in 4.1 MB: under the size limit, far over the turn limit."""
    return b"**Ann:** a\n\n**Bob:** b\n\n" * 170_000


def _to_size(text: str, size: int) -> bytes:
    out, total, i = [], 0, 0
    while total < size:
        chunk = _unique(text, 1000 + i).encode()
        out.append(chunk)
        total += len(chunk)
        i += 1
    return b"".join(out)[:size]


def _write(folder: Path, case: Case) -> Path:
    path = Path(os.fsdecode(folder / os.fsdecode(case.name)))
    if case.huge:
        block = (_seed("001") * 50).encode()
        remaining = case.huge
        with open(path, "wb") as handle:
            while remaining > 0:
                handle.write(block[:remaining])
                remaining -= len(block)
        return path
    path.write_bytes(case.data)
    return path


def _printable(path: Path | str) -> str:
    from bot.ingest import printable

    return printable(path)


def _run_one(path: Path, work: Path, index: int) -> dict:
    """Ingest one file in a fresh process; its result, time and peak memory."""
    db = work / f"one-{index}.db"
    cmd = [sys.executable, "-m", "bench.hostile_corpus", "--one", os.fsdecode(path), str(db)]
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, timeout=CHILD_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": "hung", "reason": f"killed after {CHILD_TIMEOUT_S} s"}
    try:
        return json.loads(proc.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"status": "crashed", "reason": proc.stderr.decode(errors="replace")[-300:]}


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM counts only this program, while
    ru_maxrss also counts the parent's memory copied at fork, before exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(path: str, db_path: str) -> None:
    """Child mode: ingest one file into a fresh database and print one JSON line."""
    from bot import store
    from bot.ingest import ingest

    db = store.open_db(db_path)
    started = time.perf_counter()
    report = ingest(db, [path], workers=1)
    seconds = time.perf_counter() - started
    result = report.results[0]
    line = {
        "status": result.status,
        "reason": result.reason,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
    }
    print(json.dumps(line), flush=True)


def _whole_run(folder: Path, work: Path) -> dict:
    """One ``quotebot ingest`` of the whole folder (worker pool), as a user runs it."""
    db = work / "all.db"
    cmd = [sys.executable, "-m", "bot", "ingest", "--db", str(db), str(folder)]
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, timeout=CHILD_TIMEOUT_S * 5, check=False
    )
    seconds = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        stored = {Path(r[0]).name for r in conn.execute("SELECT file FROM sources")}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return {
        "exit_code": proc.returncode,
        "seconds": seconds,
        "stored": stored,
        "integrity": integrity,
        "summary": proc.stdout.decode(errors="replace").strip().splitlines()[-1:],
        "traceback": "Traceback" in proc.stderr.decode(errors="replace"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--huge-mb", type=int, default=HUGE_MB, help="size of the huge file")
    parser.add_argument("--two-gb", action="store_true", help="make the huge file 2 GiB")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _one(*args.one)
        return 0
    huge = 2 * 2**30 if args.two_gb else args.huge_mb * 2**20
    work = Path(tempfile.mkdtemp(prefix="hostile-")) if args.keep is None else args.keep
    folder = work / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        cases = _cases(huge)
        paths = [_write(folder, case) for case in cases]
        measures = []
        for index, (case, path) in enumerate(zip(cases, paths, strict=True)):
            line = _run_one(path, work, index)
            peak = float(line.get("peak_mb", 0.0))
            status = line.get("status", "")
            seconds = float(line.get("seconds", CHILD_TIMEOUT_S))
            expected = (
                case.expect == "any"
                or (case.expect == "stored" and status in ("added", "updated"))
                or (case.expect == "skipped" and status == "skipped")
            )
            ok = (
                expected
                and status not in ("hung", "crashed")
                and seconds < MAX_SECONDS
                and peak < MAX_MB
            )
            measures.append(
                Measure(
                    _printable(path.name),
                    case.what,
                    path.stat().st_size,
                    case.expect,
                    status,
                    line.get("reason", ""),
                    round(seconds, 3),
                    round(peak, 1),
                    ok,
                )
            )
        whole = _whole_run(folder, work)
        good = {
            _printable(p.name) for c, p in zip(cases, paths, strict=True) if c.expect == "stored"
        }
        missing = sorted(good - whole["stored"])
        whole_ok = (
            not missing
            and whole["integrity"] == "ok"
            and not whole["traceback"]
            and whole["exit_code"] == 1  # some files were skipped, and said so
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    worst_time = max(measures, key=lambda m: m.seconds)
    worst_mem = max(measures, key=lambda m: m.peak_mb)
    passed = all(m.ok for m in measures) and whole_ok
    figures = {
        "files": len(measures),
        "good_files": len(good),
        "worst_seconds": {"file": worst_time.file, "seconds": worst_time.seconds},
        "worst_peak_mb": {"file": worst_mem.file, "peak_mb": worst_mem.peak_mb},
        "limits": {"seconds": MAX_SECONDS, "peak_mb": MAX_MB},
        "whole_run": {
            "seconds": round(whole["seconds"], 2),
            "exit_code": whole["exit_code"],
            "good_files_missing": missing,
            "integrity": whole["integrity"],
            "summary": whole["summary"],
        },
        "passed": passed,
        "per_file": [asdict(m) for m in measures],
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _table(measures, figures)
    return 0 if passed else 1


def _table(measures: list[Measure], figures: dict) -> None:
    print(f"{'file':<26} {'what':<34} {'size':>10} {'status':<9} {'s':>6} {'MB':>6}  ok  reason")
    for m in measures:
        print(
            f"{m.file[:26]:<26} {m.what[:34]:<34} {m.size:>10,} {m.status:<9}"
            f" {m.seconds:>6.2f} {m.peak_mb:>6.1f}  {'yes' if m.ok else 'NO ':<3} {m.reason[:60]}"
        )
    whole = figures["whole_run"]
    print()
    print(
        f"{figures['files']} files ({figures['good_files']} good);"
        f" worst time {figures['worst_seconds']['seconds']:.2f} s ({figures['worst_seconds']['file']});"
        f" worst peak memory {figures['worst_peak_mb']['peak_mb']:.1f} MB"
        f" ({figures['worst_peak_mb']['file']}); limits {MAX_SECONDS:g} s, {MAX_MB:g} MB"
    )
    print(
        f"whole folder in one ingest: {whole['seconds']:.1f} s, exit {whole['exit_code']},"
        f" integrity {whole['integrity']}, good files missing: {whole['good_files_missing'] or 'none'}"
    )
    print(" ".join(whole["summary"]))
    print("PASSED" if figures["passed"] else "FAILED")


if __name__ == "__main__":
    sys.exit(main())
