# The Queen server in a container: a small JRE, a non-root user, a health check.
#
#   docker build -t queen-jvm .
#   docker run -p 6632:6632 -e PG_HOST=db.example -e PG_PASSWORD=... queen-jvm
#
# docs/operations.md ("Containers") and compose.yaml (with PostgreSQL) say more.

# --- build: the shaded server jar ---
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -pl queen-server -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package

# --- run: a JRE and the jar ---
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 queen \
 && useradd --system --uid 10001 --gid queen --home-dir /var/lib/queen --create-home queen
COPY --from=build /src/queen-server/target/queen-server.jar /opt/queen/queen-server.jar
USER queen:queen
WORKDIR /var/lib/queen
# the file buffer (pushes accepted while PostgreSQL is away) must survive the container
VOLUME /var/lib/queen
ENV HOST=0.0.0.0 \
    PORT=6632 \
    QUEEN_DATA_DIR=/var/lib/queen \
    JAVA_OPTS="-Xmx64m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
EXPOSE 6632
# no curl in the image: bash speaks enough HTTP/1.0 to read /health's status line
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# exec: the JVM is PID 1 and gets SIGTERM, which stops the server gracefully (SHUTDOWN_TIMEOUT_MS)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/queen/queen-server.jar \"$@\"", "queen-server"]
