using System.Globalization;
using System.Text.RegularExpressions;
using TaskFlow.Components.Audit;
using TaskFlow.Components.Data;
using TaskFlow.Components.Notifications;
using TaskFlow.Components.Recurrence;
using TaskFlow.Components.Reminders;
using TaskFlow.Messaging.Scheduling;
using TaskFlow.Testing;
using YamlDotNet.RepresentationModel;

namespace TaskFlow.UnitTests.Kubernetes;

/// <summary>What an operator relies on in infra/k8s, checked on what kubectl kustomize renders for each folder.</summary>
[TestFixture("base")]
[TestFixture("overlays/production")]
public partial class When_kustomize_renders_the_kubernetes_manifests(string folder)
{
    public const string Api = "taskflow-api";
    public const string Worker = "taskflow-worker";
    public const string Migration = "taskflow-migrate";

    /// <summary>The one Secret production expects to be created by hand (infra/k8s/README.md says how).</summary>
    public const string SigningKeySecret = "taskflow-signing-key";

    /// <summary>Longest the hosts take to stop: MassTransit's StopTimeout (30 s) within the host's ShutdownTimeout.</summary>
    private const int HostShutdownSeconds = 45;

    private KustomizeOutput Output => KustomizeOutput.Of(folder);

    [Test]
    public void Should_render_without_warnings()
    {
        Assert.That(Output.Warnings, Is.Empty, $"kubectl kustomize infra/k8s/{folder} warned");
        Assert.That(Output.Resources, Is.Not.Empty);
    }

    [TestCase(Api)]
    [TestCase(Worker)]
    public void Should_probe_readiness_and_liveness_on_the_health_endpoints_at_the_container_port(string deployment)
    {
        var container = Container(Output.One("Deployment", deployment));

        Assert.Multiple(() =>
        {
            Assert.That(container.Text("readinessProbe", "httpGet", "path"), Is.EqualTo("/health/ready"), "readiness");
            Assert.That(container.Text("livenessProbe", "httpGet", "path"), Is.EqualTo("/health/live"), "liveness");
            foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Where(p => container.At(p) is not null))
                Assert.That(ContainerPort(container, container.Text(probe, "httpGet", "port")), Is.EqualTo(ListeningPort(container)), probe);
        });
    }

    [TestCase(Api)]
    [TestCase(Worker)]
    public void Should_give_the_host_longer_than_its_shutdown_before_killing_it(string deployment)
    {
        var workload = Output.One("Deployment", deployment);
        var preStopSeconds = Container(workload).Number("lifecycle", "preStop", "sleep", "seconds") ?? 0;

        Assert.That(PodSpec(workload).Number("terminationGracePeriodSeconds") ?? 30, Is.GreaterThan(preStopSeconds + HostShutdownSeconds));
    }

    [TestCase(Api, "api.Dockerfile")]
    [TestCase(Worker, "worker.Dockerfile")]
    public void Should_listen_on_every_interface_of_the_pod_at_the_port_its_image_exposes(string deployment, string dockerfile)
    {
        var container = Container(Output.One("Deployment", deployment));
        var urls = Urls(container, dockerfile);
        var exposed = Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "infra", dockerfile)),
            @"^EXPOSE\s+(\d+)", RegexOptions.Multiline).Groups[1].Value;

        Assert.Multiple(() =>
        {
            Assert.That(urls.Groups["host"].Value, Is.AnyOf("+", "*", "0.0.0.0", "[::]"), "a host reachable by probes and Services");
            Assert.That(urls.Groups["port"].Value, Is.EqualTo(exposed), $"the port {dockerfile} exposes");
            Assert.That(container.Items("ports").Select(p => p.Text("containerPort")), Does.Contain(exposed), "declared as a container port");
        });
    }

    [TestCase(Api)]
    [TestCase(Worker)]
    public void Should_limit_disruptions_of_each_host(string deployment)
    {
        var podLabels = Output.One("Deployment", deployment).Pairs("spec", "template", "metadata", "labels");

        var budgets = Output.OfKind("PodDisruptionBudget").Where(b => Selects(b.Pairs("spec", "selector", "matchLabels"), podLabels)).ToList();

        Assert.That(budgets, Has.Count.EqualTo(1), $"PodDisruptionBudgets selecting the pods of {deployment}");
        Assert.That(budgets[0].At("spec", "maxUnavailable") ?? budgets[0].At("spec", "minAvailable"), Is.Not.Null);
    }

    [Test]
    public void Should_migrate_in_a_job_from_the_worker_image_while_the_hosts_do_not()
    {
        var job = Container(Output.One("Job", Migration));

        Assert.Multiple(() =>
        {
            Assert.That(job.Items("args").Select(a => a.Text()).FirstOrDefault(), Is.EqualTo("migrate"));
            Assert.That(job.Text("image"), Is.EqualTo(Container(Output.One("Deployment", Worker)).Text("image")), "the worker's image, which has the verb");
            Assert.That(EffectiveEnvironment(job), Does.ContainKey("ConnectionStrings__TaskFlow"));
            foreach (var host in new[] { Api, Worker })
            {
                Assert.That(EffectiveEnvironment(Container(Output.One("Deployment", host))).GetValueOrDefault("Database__MigrateOnStartup"),
                    Is.EqualTo("false").IgnoreCase, $"{host} leaves the schema to the Job");
            }
        });
    }

    [Test]
    public void Should_scale_the_api_on_cpu()
    {
        var autoscaler = Output.OfKind("HorizontalPodAutoscaler").Single(h => h.Text("spec", "scaleTargetRef", "name") == Api);

        Assert.Multiple(() =>
        {
            Assert.That(autoscaler.Text("apiVersion"), Is.EqualTo("autoscaling/v2"));
            Assert.That(autoscaler.Text("spec", "scaleTargetRef", "kind"), Is.EqualTo("Deployment"));
            Assert.That(autoscaler.Items("spec", "metrics").Select(m => m.Text("resource", "name")), Does.Contain("cpu"));
            Assert.That(Container(Output.One("Deployment", Api)).Text("resources", "requests", "cpu"), Is.Not.Null,
                "utilisation is measured against the request");
        });
    }

    [Test]
    public void Should_scale_the_worker_on_the_depth_of_every_queue_it_consumes()
    {
        var scaledObject = Output.OfKind("ScaledObject").Single(s => s.Text("spec", "scaleTargetRef", "name") == Worker);
        var triggers = scaledObject.Items("spec", "triggers");
        var worker = Container(Output.One("Deployment", Worker));

        Assert.Multiple(() =>
        {
            Assert.That(triggers.Select(t => t.Text("type")), Is.All.EqualTo("rabbitmq"));
            Assert.That(triggers.Select(t => t.Text("metadata", "mode")), Is.All.EqualTo("QueueLength"));
            Assert.That(triggers.Select(t => t.Text("metadata", "queueName")), Is.SupersetOf(new[]
            {
                AuditConsumerDefinition.Queue, NotificationStoreDefinition.Queue, ReminderPlannerDefinition.Queue,
                ReminderStateDefinition.Queue, FiredRemindersDefinition.Queue, RecurrenceConsumerDefinition.Queue, TaskFlowSchedulerOptions.DefaultQueueName,
            }));
            foreach (var trigger in triggers)
            {
                // KEDA needs the broker's address with credentials; here it comes through a TriggerAuthentication.
                var authentication = Output.One("TriggerAuthentication", trigger.Text("authenticationRef", "name")!);
                foreach (var env in authentication.Items("spec", "env"))
                {
                    Assert.That(env.Text("containerName"), Is.EqualTo(worker.Text("name")));
                    Assert.That(EffectiveEnvironment(worker), Does.ContainKey(env.Text("name")!), "the worker defines what KEDA reads");
                }
                Assert.That(authentication.Items("spec", "env").Concat(authentication.Items("spec", "secretTargetRef"))
                    .Select(p => p.Text("parameter")), Does.Contain("host"), "where KEDA finds the broker");
            }
        });
    }

    [Test]
    public void Should_take_every_secret_from_one_rendered_made_by_an_operator_or_created_by_hand()
    {
        var available = Output.NamesOf("Secret")
            .Concat(Output.NamesOf("RabbitmqCluster").Select(c => $"{c}-default-user"))
            .Concat(Output.OfKind("Cluster").Where(c => c.Text("apiVersion")!.StartsWith("postgresql.cnpg.io/", StringComparison.Ordinal))
                .SelectMany(c => new[] { $"{c.Text("metadata", "name")}-app", $"{c.Text("metadata", "name")}-ca" }))
            .Append(SigningKeySecret)
            .ToHashSet();

        var referenced = Output.Resources.SelectMany(r => r.Mappings()).SelectMany(SecretsReferencedBy).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(referenced, Is.Not.Empty);
            Assert.That(referenced, Is.SubsetOf(available));
            Assert.That(File.ReadAllText(Path.Combine(Repository.Root, "infra", "k8s", "README.md")),
                Does.Contain($"kubectl create secret generic {SigningKeySecret}"), "how to create the one made by hand");
        });
    }

    [Test]
    public void Should_define_every_variable_before_a_value_refers_to_it()
    {
        Assert.Multiple(() =>
        {
            foreach (var workload in Workloads())
            {
                var container = Container(workload);
                // Kubernetes defines the envFrom variables first, then env in order; a reference to anything else
                // stays in the value as written.
                var defined = FromConfigMaps(container).Keys.ToHashSet();
                foreach (var env in container.Items("env"))
                {
                    foreach (Match reference in DependentVariable().Matches(env.Text("value") ?? ""))
                        Assert.That(defined, Does.Contain(reference.Groups[1].Value), $"{workload.Text("metadata", "name")}: {env.Text("name")}");
                    defined.Add(env.Text("name")!);
                }
            }
        });
    }

    [Test]
    public void Should_route_every_service_and_ingress_to_a_port_a_container_declares()
    {
        var services = Output.OfKind("Service").ToDictionary(s => s.Text("metadata", "name")!);

        Assert.Multiple(() =>
        {
            foreach (var (name, service) in services)
            {
                var pods = Output.OfKind("Deployment")
                    .Where(d => Selects(service.Pairs("spec", "selector"), d.Pairs("spec", "template", "metadata", "labels"))).ToList();
                Assert.That(pods, Is.Not.Empty, $"Service {name} selects the pods of a Deployment");
                foreach (var port in service.Items("spec", "ports"))
                {
                    foreach (var deployment in pods)
                        Assert.That(ContainerPort(Container(deployment), port.Text("targetPort") ?? port.Text("port")), Is.Not.Null, $"Service {name}");
                }
            }
            foreach (var ingress in Output.OfKind("Ingress"))
            {
                foreach (var backend in ingress.Items("spec", "rules").SelectMany(r => r.Items("http", "paths")).Select(p => p.At("backend", "service")))
                {
                    var service = services.GetValueOrDefault(backend.Text("name")!);
                    Assert.That(service, Is.Not.Null, $"Ingress {ingress.Text("metadata", "name")} names a rendered Service");
                    Assert.That(service.Items("spec", "ports").Any(p => p.Text("name") == backend.Text("port", "name")
                        || (p.Text("port") is { } number && number == backend.Text("port", "number"))), Is.True,
                        $"Ingress {ingress.Text("metadata", "name")} names a port of Service {backend.Text("name")}");
                }
            }
        });
    }

    [Test]
    public void Should_keep_each_hub_connection_on_one_api_pod_over_websockets()
    {
        // ingress-nginx routes a request by the longest matching path of all the Ingresses of its host.
        var route = Output.OfKind("Ingress")
            .SelectMany(i => i.Items("spec", "rules").SelectMany(r => r.Items("http", "paths")).Select(p => (Ingress: i, Path: p)))
            .Where(r => "/hubs/notifications".StartsWith(r.Path.Text("path")!, StringComparison.Ordinal))
            .MaxBy(r => r.Path.Text("path")!.Length);
        Assert.That(route.Ingress, Is.Not.Null, "an Ingress routes /hubs/notifications");
        var annotations = route.Ingress.Pairs("metadata", "annotations");

        Assert.Multiple(() =>
        {
            Assert.That(route.Path.Text("backend", "service", "name"), Is.EqualTo(Api));
            Assert.That(annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/affinity"), Is.EqualTo("cookie"),
                "negotiation and connection reach the same pod");
            Assert.That(int.Parse(annotations.GetValueOrDefault("nginx.ingress.kubernetes.io/proxy-read-timeout", "60"), CultureInfo.InvariantCulture),
                Is.GreaterThanOrEqualTo(3600), "an idle connection stays open");
        });
    }

    [Test]
    public void Should_keep_every_connection_pool_within_postgresqls_max_connections()
    {
        var api = Output.OfKind("HorizontalPodAutoscaler").Single(h => h.Text("spec", "scaleTargetRef", "name") == Api);
        var worker = Output.OfKind("ScaledObject").Single(s => s.Text("spec", "scaleTargetRef", "name") == Worker);
        var cluster = Output.OfKind("Cluster").Single();
        // A rolling update runs one pod more than the autoscaler's maximum (maxSurge 1); the migration Job may overlap.
        // A worker also runs the scheduler, whose Quartz store has a small pool of its own.
        var connections = (api.Number("spec", "maxReplicas")!.Value + 1) * PoolSize(Api)
            + (worker.Number("spec", "maxReplicaCount")!.Value + 1) * (PoolSize(Worker) + new TaskFlowSchedulerOptions().StoreMaxPoolSize)
            + PoolSize(Migration, "Job");
        const int SuperuserReserved = 3;

        Assert.That(connections + SuperuserReserved, Is.LessThanOrEqualTo(cluster.Number("spec", "postgresql", "parameters", "max_connections") ?? 100));
    }

    internal static YamlNode PodSpec(YamlMappingNode workload) =>
        workload.At("spec", "template", "spec") ?? throw new AssertionException($"{workload.Text("metadata", "name")} has no pod template.");

    internal static YamlNode Container(YamlMappingNode workload)
    {
        var containers = PodSpec(workload).Items("containers");
        Assert.That(containers, Has.Count.EqualTo(1), $"{workload.Text("metadata", "name")} runs one container");
        return containers[0];
    }

    private IEnumerable<YamlMappingNode> Workloads() => Output.OfKind("Deployment").Concat(Output.OfKind("Job"));

    private int PoolSize(string name, string kind = "Deployment") =>
        EffectiveEnvironment(Container(Output.One(kind, name))).TryGetValue("Database__MaxPoolSize", out var size)
            ? int.Parse(size, CultureInfo.InvariantCulture)
            : DataExtensions.DefaultMaxPoolSize;

    /// <summary>The literal variables a container gets: its ConfigMaps, then its own env (which wins).</summary>
    private Dictionary<string, string> EffectiveEnvironment(YamlNode container)
    {
        var environment = FromConfigMaps(container);
        foreach (var env in container.Items("env"))
            environment[env.Text("name")!] = env.Text("value") ?? "(from a reference)";
        return environment;
    }

    private Dictionary<string, string> FromConfigMaps(YamlNode container) =>
        container.Items("envFrom").Select(e => e.Text("configMapRef", "name")).OfType<string>()
            .SelectMany(name => Output.One("ConfigMap", name).Pairs("data"))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>The container port a probe or Service port names (by name or number), or null when it declares none.</summary>
    private static int? ContainerPort(YamlNode container, string? port)
    {
        var declared = container.Items("ports").FirstOrDefault(p => p.Text("name") == port || p.Text("containerPort") == port);
        return declared?.Number("containerPort");
    }

    private static int ListeningPort(YamlNode container) => int.Parse(Urls(container, dockerfile: null).Groups["port"].Value, CultureInfo.InvariantCulture);

    /// <summary>The --urls the host is started with: the manifest's args, else the image's CMD.</summary>
    private static Match Urls(YamlNode container, string? dockerfile)
    {
        var args = container.Items("args").Select(a => a.Text()).ToList();
        var urls = args.SkipWhile(a => a != "--urls").Skip(1).FirstOrDefault();
        if (urls is null && dockerfile is not null)
        {
            urls = Regex.Match(File.ReadAllText(Path.Combine(Repository.Root, "infra", dockerfile)),
                @"^CMD \[""--urls"", ""([^""]+)""\]", RegexOptions.Multiline).Groups[1].Value;
        }
        var match = ListenUrl().Match(urls ?? "");
        Assert.That(match.Success, Is.True, $"--urls of {container.Text("name")}: '{urls}'");
        return match;
    }

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static IEnumerable<string> SecretsReferencedBy(YamlMappingNode node) =>
        new[]
        {
            node.At("secretKeyRef").Text("name"), // env
            node.At("secretRef").Text("name"), // envFrom
            node.At("secret").Text("secretName"), // volumes
        }
        .Concat(node.Items("secretTargetRef").Select(r => r.Text("name"))) // KEDA TriggerAuthentication
        .OfType<string>();

    [GeneratedRegex(@"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex DependentVariable();

    [GeneratedRegex(@"^https?://(?<host>\[[^\]]+\]|[^:/;]+):(?<port>\d+)/?$")]
    private static partial Regex ListenUrl();
}

/// <summary>What only production must have: replicas for failures, quorum queues, TLS and no key in the manifests.</summary>
public class When_kustomize_renders_the_production_overlay
{
    private static KustomizeOutput Output => KustomizeOutput.Of("overlays/production");

    [Test]
    public void Should_run_a_rabbitmq_cluster_of_three_nodes() =>
        Assert.That(Output.OfKind("RabbitmqCluster").Single().Number("spec", "replicas"), Is.EqualTo(3));

    [Test]
    public void Should_run_three_postgresql_instances() =>
        Assert.That(Output.OfKind("Cluster").Single().Number("spec", "instances"), Is.EqualTo(3));

    [Test]
    public void Should_keep_at_least_two_replicas_of_each_host()
    {
        var api = Output.OfKind("HorizontalPodAutoscaler").Single(h => h.Text("spec", "scaleTargetRef", "name") == When_kustomize_renders_the_kubernetes_manifests.Api);
        var worker = Output.OfKind("ScaledObject").Single(s => s.Text("spec", "scaleTargetRef", "name") == When_kustomize_renders_the_kubernetes_manifests.Worker);

        Assert.Multiple(() =>
        {
            Assert.That(api.Number("spec", "minReplicas"), Is.GreaterThanOrEqualTo(2), "API autoscaler's minimum");
            Assert.That(worker.Number("spec", "minReplicaCount"), Is.GreaterThanOrEqualTo(2), "worker ScaledObject's minimum");
            // Left to the autoscalers; a count written in a Deployment must not undercut them.
            foreach (var deployment in Output.OfKind("Deployment"))
                Assert.That(deployment.Number("spec", "replicas") ?? 2, Is.GreaterThanOrEqualTo(2), deployment.Text("metadata", "name"));
        });
    }

    [Test]
    public void Should_declare_quorum_queues()
    {
        var settings = Output.OfKind("ConfigMap").SelectMany(c => c.Pairs("data")).ToDictionary(p => p.Key, p => p.Value);

        Assert.That(settings.GetValueOrDefault("Messaging__QuorumQueues"), Is.EqualTo("true").IgnoreCase);
    }

    [Test]
    public void Should_make_quorum_the_brokers_default_queue_type()
    {
        var config = Output.OfKind("RabbitmqCluster").Single().Text("spec", "rabbitmq", "additionalConfig") ?? "";

        Assert.That(config.Split('\n').Select(l => l.Trim()), Does.Contain("default_queue_type = quorum"),
            "senders declare worker queues without arguments, which a quorum queue refuses unless quorum is the default");
    }

    [Test]
    public void Should_apply_the_broker_policies_of_infra_rabbitmq()
    {
        var definitions = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(Repository.Root, "infra", "rabbitmq", "definitions.json")))!;
        var expected = definitions["policies"]!.AsArray().Select(p => Describe(
            (string)p!["name"]!, (string)p["pattern"]!, (string)p["apply-to"]!,
            p["definition"]!.AsObject().Select(d => (d.Key, d.Value!.ToString()))));
        var rendered = Output.OfKind("Policy").Select(p => Describe(
            p.Text("spec", "name")!, p.Text("spec", "pattern")!, p.Text("spec", "applyTo")!,
            p.Pairs("spec", "definition").Select(d => (d.Key, d.Value))));

        Assert.Multiple(() =>
        {
            Assert.That(rendered, Is.EquivalentTo(expected));
            Assert.That(Output.OfKind("Policy").Select(p => p.Text("spec", "rabbitmqClusterReference", "name")).Distinct(),
                Is.EqualTo(Output.NamesOf("RabbitmqCluster")), "every policy on the cluster the hosts use");
            Assert.That(Output.OfKind("Policy").Select(p => p.Text("spec", "vhost")).Distinct(), Is.EqualTo(new[] { "/" }),
                "the virtual host of the hosts' connection string");
        });
    }

    private static string Describe(string name, string pattern, string applyTo, IEnumerable<(string Key, string Value)> definition) =>
        $"{name} {pattern} {applyTo} {string.Join(", ", definition.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"))}";

    [Test]
    public void Should_carry_no_signing_key()
    {
        Assert.That(Output.NamesOf("Secret"), Does.Not.Contain(When_kustomize_renders_the_kubernetes_manifests.SigningKeySecret));
    }

    [Test]
    public void Should_serve_every_ingress_over_tls()
    {
        Assert.Multiple(() =>
        {
            foreach (var ingress in Output.OfKind("Ingress"))
            {
                var hosts = ingress.Items("spec", "rules").Select(r => r.Text("host")).ToList();
                Assert.That(hosts, Is.All.Not.Null, $"{ingress.Text("metadata", "name")} names its host");
                Assert.That(ingress.Items("spec", "tls").SelectMany(t => t.Items("hosts")).Select(h => h.Text()), Is.SupersetOf(hosts),
                    $"{ingress.Text("metadata", "name")} has a certificate for every host");
            }
        });
    }

    [Test]
    public void Should_run_released_images()
    {
        var images = Output.OfKind("Deployment").Concat(Output.OfKind("Job"))
            .Select(w => When_kustomize_renders_the_kubernetes_manifests.Container(w).Text("image")!).ToList();

        Assert.That(images, Is.All.Match(@"^[^:]+/[^:/]+:(?!latest$|dev$)[\w][\w.-]*$"), "an image from a registry with a version tag");
    }
}
