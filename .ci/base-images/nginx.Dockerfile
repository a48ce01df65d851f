# CI stand-in for the official nginx:1.27-bookworm: Debian's nginx shaped like the official image
# (user nginx uid 101, /etc/nginx/conf.d, /usr/share/nginx/html, temp files in /var/cache/nginx,
# logs to stdout/stderr, SIGQUIT to stop). Its entrypoint scripts are left out: web/Dockerfile bypasses them.
FROM ci/bookworm-rootfs
RUN apt-get -o Acquire::Retries=5 update \
 && DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5 install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 101 nginx \
 && useradd --system --uid 101 --gid nginx --no-create-home --home-dir /nonexistent --shell /bin/false nginx \
 && rm -f /etc/nginx/sites-enabled/default \
 && sed -i 's/^user .*/user nginx;/' /etc/nginx/nginx.conf \
 && sed -i 's|^http {|http {\n\tclient_body_temp_path /var/cache/nginx/client_temp;\n\tproxy_temp_path /var/cache/nginx/proxy_temp;\n\tfastcgi_temp_path /var/cache/nginx/fastcgi_temp;\n\tuwsgi_temp_path /var/cache/nginx/uwsgi_temp;\n\tscgi_temp_path /var/cache/nginx/scgi_temp;|' /etc/nginx/nginx.conf \
 && mkdir -p /usr/share/nginx/html /var/cache/nginx \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log \
 && nginx -t
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
