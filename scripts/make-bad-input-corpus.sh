#!/usr/bin/env bash
# Writes the bad-input corpus (streams-app/src/test/resources/bad-input: a file per kind and
# manifest.jsonl with each kind's expected outcome) with BadInputCorpusGenerator, a class of the
# test tree. Deterministic; commit what it writes. docs/reliability.md lists the kinds.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o -pl streams-app -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test.classpath
cp="streams-app/target/test-classes:streams-app/target/classes:$(cat streams-app/target/test.classpath)"
java -cp "$cp" org.vitaudit.testing.BadInputCorpusGenerator streams-app/src/test/resources/bad-input
git status --short streams-app/src/test/resources/bad-input
