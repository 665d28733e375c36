# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the `bench` verb.

# The benchmark starts its own API and worker, on a fresh database and virtual host of these servers, from this build.
cmd_bench() {
    provision
    export_test_servers
    build_solution
    local bench
    bench="$ROOT/tests/TaskFlow.Benchmarks/bin/Release/net10.0/TaskFlow.Benchmarks.dll"
    [[ -f $bench ]] || die "build output $bench not found"
    dotnet "$bench" "$@"
}
