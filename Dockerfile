# syntax=docker/dockerfile:1
# The integration point as a container image: built from source, run as a non-root user from a slim image.
# The Swift runtime is linked in; SQLite and libxml2 (with ICU) come from the runtime image's Debian packages.
#
#   docker build --build-arg GIT_COMMIT=$(git rev-parse --short HEAD) -t integrasjonspunkt:$(scripts/release.sh --print-version) .
#   docker run -d --name ip -p 9093:9093 -v ip-data:/data integrasjonspunkt:<version>
#
# /data is the working directory: put integrasjonspunkt-local.properties and the keystore there (or configure
# with environment variables, DIFI_MOVE_ORG_NUMBER=…); the database, payload files and logs are written there.

FROM swift:6.3-bookworm AS build
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libsqlite3-dev libxml2-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, so that a change to the sources does not fetch them again.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
ARG GIT_COMMIT=""
RUN if [ -n "$GIT_COMMIT" ]; then \
      printf 'enum BuildCommit {\n    static let commit = "%s"\n}\n' "$GIT_COMMIT" > Sources/integrasjonspunkt/BuildCommit.swift; \
    fi \
    && swift build -c release --static-swift-stdlib --product integrasjonspunkt \
    && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/integrasjonspunkt" /out/integrasjonspunkt

FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libsqlite3-0 libxml2 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin integrasjonspunkt \
    && install -d -o integrasjonspunkt -g integrasjonspunkt -m 0750 /data
COPY --from=build /out/integrasjonspunkt /usr/local/bin/integrasjonspunkt
ENV TZ=Europe/Oslo
USER integrasjonspunkt
WORKDIR /data
VOLUME ["/data"]
EXPOSE 9093
# SIGTERM (docker stop) finishes in-flight work and exits 0; give it time with `docker stop -t 60`.
STOPSIGNAL SIGTERM
# /manage/health needs no credentials. HTTPS is on by default (difi.ssl.enabled), so try both schemes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${SERVER_PORT:-9093}/manage/health" >/dev/null \
     || curl -fsSk "https://127.0.0.1:${SERVER_PORT:-9093}/manage/health" >/dev/null \
     || exit 1
ENTRYPOINT ["/usr/local/bin/integrasjonspunkt"]
CMD ["serve"]
