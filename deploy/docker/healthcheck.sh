#!/bin/bash
# Container health check without curl or wget in the image: one HTTP/1.0 GET over bash's /dev/tcp.
# Usage: healthcheck.sh [PATH] [PORT]; PATH defaults to /health/ready, PORT to $VITAUDIT_HTTP_PORT
# or 8080 (http.port). Exit 0 on a 200 answer, 1 otherwise.
set -u
path="${1:-/health/ready}"
port="${2:-${VITAUDIT_HTTP_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 4 status <&3 || exit 1
case "$status" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) exit 1 ;;
esac
