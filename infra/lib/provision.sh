# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the `provision` verb, which makes PostgreSQL and RabbitMQ answer on 127.0.0.1,
# from Docker when an engine answers, otherwise from Debian's packages.

# ---------------------------------------------------------------------------------------------
# Docker (used for PostgreSQL/RabbitMQ only when an engine answers)

docker_usable() {
    command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1
}

compose() {
    # The file's api/worker services need the signing key even when only postgres/rabbitmq start.
    TASKFLOW_SIGNING_KEY="$(signing_key)"
    export TASKFLOW_SIGNING_KEY
    if docker compose version >/dev/null 2>&1; then
        docker compose -f "$COMPOSE_FILE" --project-directory "$ROOT" "$@"
    elif command -v docker-compose >/dev/null 2>&1; then
        docker-compose -f "$COMPOSE_FILE" --project-directory "$ROOT" "$@"
    else
        die "Docker answers but neither 'docker compose' nor 'docker-compose' is installed"
    fi
}

start_with_docker() { # start_with_docker SERVICE...
    log "Starting $* with docker compose"
    compose up -d "$@"
    local service
    for service in "$@"; do record_started "$service" docker; done
}

# ---------------------------------------------------------------------------------------------
# Debian packages (used when there is no Docker engine)

package_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

install_packages() { # install_packages PACKAGE... (only the missing ones)
    local missing=() package
    for package in "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "${missing[*]} missing and apt-get is not available: install ${missing[*]} first (or Docker for PostgreSQL $PG_VERSION and RabbitMQ 3.10)"
    ensure_state_dirs
    if ((APT_UPDATED == 0)); then
        log "apt-get update"
        run_logged "$LOGS/apt.log" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    log "Installing ${missing[*]} (apt-get, output in .taskflow/logs/apt.log)"
    # confold: keep the loopback config we may have written before the package arrived.
    run_logged "$LOGS/apt.log" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------
# Provisioning both backing services

provision() {
    ensure_state_dirs
    local began=$SECONDS pg rabbit ui
    pg="$(port_state "$PG_PORT" postgres PostgreSQL)"
    rabbit="$(port_state "$AMQP_PORT" 'beam\.smp' RabbitMQ)"
    ui="$(port_state "$RABBIT_UI_PORT" 'beam\.smp' 'the RabbitMQ console')"
    if [[ $rabbit == free && $ui == running ]]; then
        die "port $RABBIT_UI_PORT is held by $(describe_port_owner "$RABBIT_UI_PORT") but nothing answers AMQP on $AMQP_PORT"
    fi
    local wanted=()
    if [[ $pg == free ]]; then
        wanted+=(postgres)
    else
        log "PostgreSQL already listens on 127.0.0.1:$PG_PORT: reusing it"
    fi
    if [[ $rabbit == free ]]; then
        wanted+=(rabbitmq)
    else
        log "RabbitMQ already listens on 127.0.0.1:$AMQP_PORT: reusing it"
    fi

    if ((${#wanted[@]})) && docker_usable; then
        start_with_docker "${wanted[@]}"
    elif ((${#wanted[@]})); then
        local packages=()
        if [[ $pg == free ]]; then packages+=(postgresql); fi
        if [[ $rabbit == free ]]; then
            write_rabbitmq_config
            packages+=(rabbitmq-server)
        fi
        install_packages "${packages[@]}"
        # RabbitMQ boots slowly: start it first and let PostgreSQL start meanwhile.
        if [[ $rabbit == free ]]; then start_rabbitmq_native; fi
        if [[ $pg == free ]]; then start_postgres_native; fi
    fi

    log "Waiting for PostgreSQL on 127.0.0.1:$PG_PORT"
    if command -v pg_isready >/dev/null 2>&1; then
        wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not accept connections within ${PG_START_TIMEOUT}s"
    fi
    ensure_postgres_account
    verify_postgres

    wait_for_rabbitmq
    ensure_rabbitmq_account
    verify_rabbitmq
    drop_retired_bindings

    check_loopback_only "$PG_PORT" "$AMQP_PORT" "$RABBIT_UI_PORT" 25672 4369
    log "PostgreSQL and RabbitMQ are ready ($((SECONDS - began))s)"
}

# The specs and the benchmark create their own databases and virtual hosts on these servers; values already in the
# environment win, so they can be pointed elsewhere.
export_test_servers() {
    export TASKFLOW_TEST_POSTGRES="${TASKFLOW_TEST_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=taskflow;Password=taskflow;Database=postgres}"
    export TASKFLOW_TEST_RABBITMQ="${TASKFLOW_TEST_RABBITMQ:-$AMQP_URL}"
}

# ---------------------------------------------------------------------------------------------
# The verb

cmd_provision() {
    provision
    log "PostgreSQL: $PG_CONNECTION"
    log "RabbitMQ:   $AMQP_URL   console $RABBIT_UI_URL (taskflow / taskflow)"
    log "\`infra/taskflow.sh down\` stops what this script started"
}
