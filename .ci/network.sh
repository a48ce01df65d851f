# Sourced by the .ci scripts: one dropped connection to a registry must not fail a 20-minute run.
# npm retries a request that fails before its answer starts (fetch-retries), not a download cut off midway
# (ECONNRESET, "aborted"); pip's retries are alike. So installs also run again as a whole (`retry`), each time
# resuming from what the cache already holds.
export npm_config_fetch_retries=5 npm_config_fetch_retry_mintimeout=2000 npm_config_fetch_retry_maxtimeout=30000
export PIP_RETRIES=10 PIP_TIMEOUT=60
APT_RETRIES=(-o Acquire::Retries=5)

# retry COMMAND...: up to three tries, 10 s then 20 s apart; the command's own output says what failed.
retry () {
  local try
  for try in 1 2 3; do
    "$@" && return 0
    [ "$try" = 3 ] && return 1
    echo "[retry] try $try of 3 failed: $*; again in $((try * 10)) s" >&2
    sleep $((try * 10))
  done
}
