# syntax=docker/dockerfile:1
# One build, three images. docker-compose.yml builds each image from its named stage:
#   runtime      the Vert.x runtime (vals, API, schema guard), JDK for the Graal JIT
#   status-page  the standalone status page
#   ops          the operator CLI (the migrate job); arguments after the image name are its subcommand
# The long-running images exit on an OutOfMemoryError (a JVM after one cannot be trusted); compose's
# `restart: unless-stopped` starts them again.
# The build stage needs Node.js and npm: the runtime bundles the WHATWG URL library for vals.

FROM node:22.12.0-bookworm-slim AS node

FROM eclipse-temurin:25-jdk-noble AS build
RUN apt-get update && apt-get install -y --no-install-recommends maven git && rm -rf /var/lib/apt/lists/*
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -Dstyle.color=never -DskipTests package

FROM eclipse-temurin:25-jdk-noble AS runtime
WORKDIR /app
COPY --from=build /src/runtime/target/valence-runtime-0.1.0-SNAPSHOT.jar /app/valence-runtime.jar
COPY --from=build /src/runtime/target/lib /app/lib
COPY --from=build /src/runtime/target/jvmci /app/jvmci
EXPOSE 8080
CMD ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "--upgrade-module-path=/app/jvmci", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dpolyglot.engine.WarnInterpreterOnly=false", "-cp", "/app/valence-runtime.jar:/app/lib/*", "dev.valence.runtime.Main"]

FROM eclipse-temurin:25-jre-noble AS status-page
WORKDIR /app
COPY --from=build /src/status-page/target/valence-status-page-0.1.0-SNAPSHOT-standalone.jar /app/valence-status-page.jar
EXPOSE 8081
CMD ["java", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", "/app/valence-status-page.jar"]

FROM eclipse-temurin:25-jre-noble AS ops
WORKDIR /app
COPY --from=build /src/ops/target/valence-ops-0.1.0-SNAPSHOT.jar /app/valence-ops.jar
COPY --from=build /src/ops/target/lib /app/lib
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", "/app/valence-ops.jar:/app/lib/*", "dev.valence.ops.Ops"]
CMD ["--help"]
