# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the local RabbitMQ node, its loopback-only config, account and retired bindings.

# rabbitmqctl & co. are wrappers that switch to the rabbitmq user; epmd must stay on loopback too.
rabbitmqctl_() {
    ERL_EPMD_ADDRESS=127.0.0.1 as_root rabbitmqctl "$@"
}

# Written before the package is installed, so even a start by the package itself is loopback-only.
write_rabbitmq_config() {
    install_config /etc/rabbitmq/rabbitmq.conf <<EOF || true
# Written by infra/taskflow.sh: TaskFlow's development broker answers on loopback only.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_UI_PORT
EOF
    # Sourced by the rabbitmq-server and rabbitmqctl scripts. A fixed node name keeps the data
    # directory stable when the host name changes; epmd (4369) and the Erlang distribution
    # port (25672) would otherwise listen on every interface.
    install_config /etc/rabbitmq/rabbitmq-env.conf <<'EOF' || true
# Written by infra/taskflow.sh: loopback only.
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
    if [[ ! -e /etc/rabbitmq/enabled_plugins ]]; then
        install_config /etc/rabbitmq/enabled_plugins <<<'[rabbitmq_management].' || true
    fi
}

enable_rabbitmq_management() {
    if ! grep -q rabbitmq_management /etc/rabbitmq/enabled_plugins 2>/dev/null; then
        log "Enabling the RabbitMQ management plugin"
        run_logged "$LOGS/rabbitmq.log" as_root rabbitmq-plugins enable --offline rabbitmq_management
    fi
}

start_rabbitmq_native() {
    enable_rabbitmq_management
    if port_in_use "$AMQP_PORT"; then
        log "RabbitMQ was already started (by its package): reusing it"
        return 0
    fi
    log "Starting RabbitMQ (rabbitmq-server -detached, log: /var/log/rabbitmq/)"
    ERL_EPMD_ADDRESS=127.0.0.1 run_logged "$LOGS/rabbitmq.log" as_root rabbitmq-server -detached
    record_started rabbitmq native
}

amqp_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$AMQP_PORT") 2>/dev/null
}

rabbitmq_ui_answers() {
    curl -fsS -o /dev/null --max-time 3 -u taskflow:taskflow "$RABBIT_UI_URL/api/overview"
}

# The broker is only usable once the AMQP port is open; `await_startup` straight after -detached
# fails, so poll the port first.
wait_for_rabbitmq() {
    log "Waiting for RabbitMQ on 127.0.0.1:$AMQP_PORT"
    wait_for "$RABBIT_START_TIMEOUT" amqp_port_open ||
        die "RabbitMQ did not open port $AMQP_PORT within ${RABBIT_START_TIMEOUT}s (see /var/log/rabbitmq/ and .taskflow/logs/rabbitmq.log)"
}

# User, tag and permissions, idempotently. Only possible for a broker on this host.
ensure_rabbitmq_account() {
    command -v rabbitmqctl >/dev/null 2>&1 || return 0
    if ! rabbitmqctl_ -q -t 60 await_startup >>"$LOGS/rabbitmq.log" 2>&1; then
        return 0 # not a node we can manage (e.g. a container): its own setup made the user
    fi
    log "Ensuring RabbitMQ user 'taskflow' (administrator, full permissions on /)"
    if rabbitmqctl_ -q list_users 2>/dev/null | awk '{print $1}' | grep -qx taskflow; then
        run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q change_password taskflow taskflow
    else
        run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q add_user taskflow taskflow
    fi
    run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q set_user_tags taskflow administrator
    run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q set_permissions -p / taskflow '.*' '.*' '.*'
}

verify_rabbitmq() {
    wait_for "$RABBIT_START_TIMEOUT" rabbitmq_ui_answers ||
        die "the RabbitMQ management API does not accept taskflow/taskflow at $RABBIT_UI_URL/api/overview"
}

# MassTransit adds bindings and never removes one. Fired reminders moved from taskflow-reminders to
# taskflow-reminders-fired (issue 19): on a broker that ran an earlier TaskFlow the old binding would keep copying every
# ReminderTriggered into taskflow-reminders_skipped. Gone already (or never there): the DELETE answers 404.
drop_retired_bindings() {
    curl -fsS -o /dev/null --max-time 5 -u taskflow:taskflow -X DELETE \
        "$RABBIT_UI_URL/api/bindings/%2F/e/taskflow.tasks.reminder-triggered/e/taskflow-reminders/~" 2>/dev/null &&
        log "Removed the retired binding taskflow.tasks.reminder-triggered -> taskflow-reminders" || true
}

stop_rabbitmq() {
    case "$(started_how rabbitmq)" in
        native)
            log "Stopping RabbitMQ"
            rabbitmqctl_ -q shutdown >>"$LOGS/rabbitmq.log" 2>&1 || warn "rabbitmqctl shutdown failed"
            stop_idle_epmd
            ;;
        docker)
            log "Stopping the rabbitmq container"
            compose stop rabbitmq || warn "docker compose stop rabbitmq failed"
            ;;
        *) return 0 ;;
    esac
    forget_started rabbitmq
}

# Erlang's port mapper outlives the node; stop it too unless another Erlang node still uses it.
stop_idle_epmd() {
    local epmd
    epmd="$(command -v epmd || find /usr/lib/erlang -path '*/bin/epmd' -type f 2>/dev/null | head -n 1 || true)"
    [[ -n $epmd && -x $epmd ]] || return 0
    if ! ERL_EPMD_ADDRESS=127.0.0.1 "$epmd" -names 2>/dev/null | grep -q '^name '; then
        ERL_EPMD_ADDRESS=127.0.0.1 "$epmd" -kill >/dev/null 2>&1 || true
    fi
}
