#!/bin/sh
# The official image's entry point: the handler is the one argument (the image's CMD).
# Without a Runtime API around (a plain `docker run`), the emulator provides one on :8080.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie /var/runtime/bootstrap
else
  exec /var/runtime/bootstrap
fi
