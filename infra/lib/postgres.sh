# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the local PostgreSQL cluster, its loopback-only config, account and connection budget.

pg_cluster_status() { # online|down|absent
    local line
    line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c' || true)"
    if [[ -z $line ]]; then
        echo absent
    elif [[ $line == *online* ]]; then
        echo online
    else
        echo down
    fi
}

write_postgres_config() { # returns 0 when the config changed
    install_config "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/taskflow.conf" <<EOF
# Written by infra/taskflow.sh: TaskFlow's development database answers on loopback only.
listen_addresses = '127.0.0.1'
port = $PG_PORT
# Debian turns TLS on and Npgsql takes it when offered: on loopback it only costs CPU on both ends (a profile of
# the worker showed 12% of its time in SslStream).
ssl = off
EOF
}

start_postgres_native() {
    if [[ "$(pg_cluster_status)" == absent ]]; then
        log "Creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
        run_logged "$LOGS/postgres.log" as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
    fi
    write_postgres_config || true
    log "Starting PostgreSQL $PG_VERSION (pg_ctlcluster, log: /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
    run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    record_started postgres native
}

postgres_ready() {
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

# Role and database, idempotently, through the local cluster's superuser.
ensure_postgres_account() {
    if [[ "$(pg_cluster_status)" != online ]] || ! command -v psql >/dev/null 2>&1; then
        return 0 # not our local cluster (e.g. a container): its own setup made the account
    fi
    # A cluster started before our config existed may still listen elsewhere: restart it once.
    if write_postgres_config; then
        log "Restarting PostgreSQL to apply the loopback-only config"
        run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
        wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not come back after the restart"
    fi
    ensure_postgres_max_connections
    log "Ensuring PostgreSQL role and database 'taskflow'"
    # `cd /`: psql run as postgres may not be allowed into the caller's directory.
    if ! (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) \
        <<<"$POSTGRES_ACCOUNT_SQL" >>"$LOGS/postgres.log" 2>&1; then
        tail -n 20 "$LOGS/postgres.log" >&2 || true
        die "could not create the PostgreSQL role/database (see .taskflow/logs/postgres.log)"
    fi
}

# max_connections takes a restart to change, so only when it is below the budget; ALTER SYSTEM's file is read last, so
# it wins over the cluster's own config. Servers other than our local cluster: docker-compose.yml sets it.
ensure_postgres_max_connections() {
    local current
    current="$(cd / && as_postgres psql -X -Atq -p "$PG_PORT" -d postgres -c 'SHOW max_connections')" ||
        die "could not read PostgreSQL's max_connections"
    ((current >= PG_MAX_CONNECTIONS)) && return 0
    log "Raising PostgreSQL's max_connections from $current to $PG_MAX_CONNECTIONS (restarts PostgreSQL once)"
    (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
        -c "ALTER SYSTEM SET max_connections = $PG_MAX_CONNECTIONS") >>"$LOGS/postgres.log" 2>&1 ||
        die "could not set max_connections (see .taskflow/logs/postgres.log)"
    run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
    wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not come back after the restart"
}

# CREATE has no IF NOT EXISTS for roles and databases: \gexec runs the statement only when missing.
POSTGRES_ACCOUNT_SQL="$(
    cat <<'SQL'
SELECT 'CREATE ROLE taskflow' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'taskflow')\gexec
ALTER ROLE taskflow WITH LOGIN CREATEDB PASSWORD 'taskflow';
SELECT 'CREATE DATABASE taskflow OWNER taskflow' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'taskflow')\gexec
ALTER DATABASE taskflow OWNER TO taskflow;
SQL
)"

verify_postgres() {
    if command -v psql >/dev/null 2>&1; then
        wait_for 30 env PGCONNECT_TIMEOUT=3 psql -X -Atq "$PG_URL" -c 'select 1' ||
            die "cannot log in to PostgreSQL as taskflow: psql \"$PG_URL\" fails"
    elif [[ "$(started_how postgres)" == docker ]]; then
        wait_for "$PG_START_TIMEOUT" compose exec -T postgres pg_isready -q -h 127.0.0.1 -U taskflow -d taskflow ||
            die "the postgres container did not become ready (docker compose logs postgres)"
    fi
}

stop_postgres() {
    case "$(started_how postgres)" in
        native)
            log "Stopping PostgreSQL"
            as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop >>"$LOGS/postgres.log" 2>&1 || warn "pg_ctlcluster stop failed"
            ;;
        docker)
            log "Stopping the postgres container"
            compose stop postgres || warn "docker compose stop postgres failed"
            ;;
        *) return 0 ;;
    esac
    forget_started postgres
}
