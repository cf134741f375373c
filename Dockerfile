# quotebot: the Telegram bot with the bundled corpus built in, chat state on a volume.
#   docker build -t quotebot .
#   docker run -d -e TELEGRAM_BOT_TOKEN=... -v quotebot-state:/state quotebot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed uid, so a volume's files keep one owner across rebuilds of the image.
RUN useradd --create-home --uid 10001 quotebot
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .

# The corpus belongs to the image: built here from the bundled transcripts, replaced
# by building a new image (or by `quotebot ingest --rebuild` inside a running one).
COPY data/transcripts ./data/transcripts
COPY data/people.toml ./data/people.toml
RUN quotebot ingest --db /app/data/quotes.db data/transcripts \
    && mkdir /state \
    && chown -R quotebot:quotebot /app/data /state

# Chat state (daily subscriptions, what each chat has seen) outlives the container.
ENV QUOTEBOT_DB=/app/data/quotes.db \
    QUOTEBOT_STATE_DB=/state/state.db
VOLUME /state

USER quotebot
# Webhook mode only (WEBHOOK_URL set) listens, on $PORT; long polling needs no port.
EXPOSE 8443
CMD ["quotebot", "run"]
