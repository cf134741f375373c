"""Renders docs/card.png, the README's example card, from the bundled seed transcripts.

Run from the repository root: ``.venv/bin/python docs/make_card.py``. The deep link
names an example bot; a running bot uses its own username.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import store  # noqa: E402
from bot.card import card_png  # noqa: E402
from bot.ingest import ingest  # noqa: E402
from bot.render import citation, deep_link  # noqa: E402
from bot.search import Searcher  # noqa: E402

EXAMPLE_BOT = "example_quote_bot"
# Words of the answer the example shows: Tolstoy on happiness, Geneva, 2021.
PICKED = "glimpse of happiness"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = store.open_db(Path(folder) / "quotes.db")
        ingest(db, [ROOT / "data" / "transcripts"], workers=1)
        searcher = Searcher(db)
        hit = next(h for h in map(searcher.get, searcher.answer_ids()) if h and PICKED in h.answer)
        link = deep_link(EXAMPLE_BOT, hit.id)
        (ROOT / "docs" / "card.png").write_bytes(card_png(hit, link))
        print(citation(hit, link))


if __name__ == "__main__":
    main()
