#!/usr/bin/env bash
# Runs the README's quickstart the way a newcomer would: `demo`, then `demo --follow` and the kcat
# lines of the README section between <!-- quickstart-kcat --> markers, exactly as written there,
# and checks that the image sent with kcat comes out audited. Needs the jar built, java and kcat.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=streams-app/target/streams-app.jar
work=$(mktemp -d)
demo=""
cleanup() {
  if [ -n "$demo" ]; then kill "$demo" 2>/dev/null || true; wait "$demo" 2>/dev/null || true; fi
  rm -rf "$work" /tmp/scene
}
trap cleanup EXIT

echo "== demo (the README's first command)"
java -jar "$jar" demo --events 12 --out "$work/demo-out" > "$work/demo.txt" 2> "$work/demo.err" || {
  cat "$work/demo.err" "$work/demo.txt"; echo "FAIL: demo exited non-zero"; exit 1; }
cat "$work/demo.txt"
python3 - "$work/demo-out/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["events"] == s["audited"] + s["dlq"] and s["dlq"] >= 1, s
for key in ("accuracy", "pointing", "latency_ms"):
    assert key in s, key
print("summary.json ok:", s)
PY
ls "$work/demo-out"/*.png > /dev/null

echo "== the README's explain example on the MNIST ViT (where ../shared exists)"
if [ -f ../shared/models/mnist-vit/model.onnx ]; then
  explain=$(sed -n '/<!-- readme-explain -->/,/<!-- \/readme-explain -->/p' README.md | grep -v -E '^(<!--|```)' \
    | sed 's/\\$//' | tr '\n' ' ')
  rm -rf overlays
  bash -c "$explain" > "$work/explain.json" 2> "$work/explain.err" || {
    cat "$work/explain.err"; echo "FAIL: the README's explain example exited non-zero"; exit 1; }
  python3 - "$work/explain.json" ../shared/data/mnist-digits/labels.csv <<'PY'
import csv, json, os, sys
o = json.loads(open(sys.argv[1]).read())
boxes = {r["file"]: r for r in csv.DictReader(open(sys.argv[2]))}
b = boxes[os.path.basename(o["image"])]
m = o["saliency"][0]
k = max(range(len(m["values"])), key=m["values"].__getitem__)
i, j = divmod(k, m["width"])
cell = 28 // m["width"]
hit = cell * j <= int(b["x1"]) and cell * (j + 1) > int(b["x0"]) and cell * i <= int(b["y1"]) and cell * (i + 1) > int(b["y0"])
assert o["predictions"][0]["label"] == b["label"], (o["predictions"], b)
assert hit, ("the map's peak misses the digit", k, b)
print("explain ok: class", o["predictions"][0]["label"], "peak cell", (i, j), "on the digit's box")
PY
  ls overlays/*.png > /dev/null
  rm -rf overlays
else
  echo "skipped: no ../shared"
fi

echo "== demo --follow and the README's kcat lines"
steps=$(sed -n '/<!-- quickstart-kcat -->/,/<!-- \/quickstart-kcat -->/p' README.md | grep -E '^(java|kcat) ')
follow=$(printf '%s\n' "$steps" | grep -E '^java .* demo --follow')
[ -n "$follow" ] || { echo "FAIL: no 'demo --follow' line in the README's quickstart"; exit 1; }
bash -c "$follow" > "$work/follow.txt" 2> "$work/follow.err" &
demo=$!
for _ in $(seq 1 240); do grep -q "bootstrap servers:" "$work/follow.txt" && break; sleep 1; done
BOOTSTRAP=$(sed -n 's/.*bootstrap servers: //p' "$work/follow.txt" | head -1)
[ -n "$BOOTSTRAP" ] || { cat "$work/follow.err" "$work/follow.txt"; echo "FAIL: demo --follow printed no bootstrap servers"; exit 1; }
export BOOTSTRAP
echo "bootstrap servers: $BOOTSTRAP"
printf '%s\n' "$steps" | grep -v -E 'demo --follow|^kcat -C' | while read -r line; do
  echo "+ $line"; bash -c "$line"
done
audit=$(printf '%s\n' "$steps" | grep -E '^kcat -C .*audit\.saliency' | head -1)
for _ in $(seq 1 60); do
  out=$(bash -c "$audit" 2>/dev/null || true)
  if printf '%s' "$out" | grep -q '"event_id":"my-event"'; then
    echo "+ $audit"; printf '%s\n' "$out" | grep '"event_id":"my-event"' | cut -c1-300
    printf '%s\n' "$steps" | grep -E '^kcat -C' | grep -v 'audit\.saliency' | while read -r line; do
      echo "+ $line"; bash -c "$line" | cut -c1-200 | tail -3
    done
    # Stop it as a service manager would (SIGTERM; a background job ignores SIGINT). A JVM that
    # crashes on its way down (a native session closed twice, say) leaves an hs_err file here.
    kill "$demo"; wait "$demo" 2>/dev/null || true; demo=""
    if ls hs_err_pid*.log > /dev/null 2>&1; then
      head -40 hs_err_pid*.log; echo "FAIL: demo --follow crashed when stopped (hs_err_pid*.log above)"; exit 1
    fi
    echo "quickstart ok"
    exit 0
  fi
  sleep 1
done
echo "FAIL: the image sent with kcat never came out on audit.saliency"; cat "$work/follow.err" | tail -20
exit 1
