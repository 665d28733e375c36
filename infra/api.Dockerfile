# syntax=docker/dockerfile:1
# TaskFlow.Api image. Build context: the repository root, e.g.
#   docker build -f infra/api.Dockerfile -t taskflow-api .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer stays cached until a project or a package version changes.
# .editorconfig carries the analyzer settings the build (warnings as errors) depends on.
COPY global.json Directory.*.props TaskFlow.sln .editorconfig ./
COPY src/TaskFlow.Contracts/TaskFlow.Contracts.csproj src/TaskFlow.Contracts/
COPY src/TaskFlow.Messaging/TaskFlow.Messaging.csproj src/TaskFlow.Messaging/
COPY src/TaskFlow.Components/TaskFlow.Components.csproj src/TaskFlow.Components/
COPY src/TaskFlow.Api/TaskFlow.Api.csproj src/TaskFlow.Api/
RUN dotnet restore src/TaskFlow.Api/TaskFlow.Api.csproj
COPY src/ src/
# The SQL migrations are embedded into TaskFlow.Components at build time.
COPY migrations/ migrations/
RUN dotnet publish src/TaskFlow.Api/TaskFlow.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The image's unprivileged "app" user.
USER $APP_UID
EXPOSE 5080
ENTRYPOINT ["dotnet", "TaskFlow.Api.dll"]
# Inside the container the host listens on every interface of the container's own network;
# docker-compose.yml publishes the port on the host's 127.0.0.1 only.
CMD ["--urls", "http://0.0.0.0:5080"]
