using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>
/// infra/rabbitmq/definitions.json, what an operator loads into a cluster: the specs put its policies on their own
/// virtual host, or have a private node load it at boot, so that what they prove is what the file sets.
/// </summary>
public static class RabbitDefinitions
{
    public static string FilePath => Path.Combine(Repository.Root, "infra", "rabbitmq", "definitions.json");

    /// <summary>The rabbitmq.conf fragment beside it.</summary>
    public static string ConfigurationPath => Path.Combine(Repository.Root, "infra", "rabbitmq", "rabbitmq.conf");

    /// <summary>The virtual host the file declares (with quorum as its default queue type).</summary>
    public static string VirtualHost => (string)Load()["vhosts"]![0]!["name"]!;

    /// <summary>The delivery limit the file's policy sets on a queue.</summary>
    public static int DeliveryLimit(string queue) => (int)Policies().Single(p => (string)p["name"]! == queue)["definition"]!["delivery-limit"]!;

    /// <summary>The file's policies, on a test's own virtual host of the shared broker.</summary>
    public static async Task ApplyPoliciesAsync(TestVirtualHost virtualHost)
    {
        foreach (var policy in Policies())
        {
            var body = new JsonObject
            {
                ["pattern"] = policy["pattern"]!.DeepClone(),
                ["apply-to"] = policy["apply-to"]!.DeepClone(),
                ["priority"] = policy["priority"]!.DeepClone(),
                ["definition"] = policy["definition"]!.DeepClone(),
            };
            await virtualHost.PutPolicyAsync((string)policy["name"]!, JsonSerializer.SerializeToElement(body));
        }
    }

    /// <summary>
    /// A copy of the file with an account for a private node (a node that loads definitions at boot makes no guest user);
    /// the account file beside it would give the taskflow user a password nobody knows.
    /// </summary>
    public static async Task<string> WriteWithAccountAsync(string folder, string user, string password)
    {
        var definitions = Load();
        definitions["users"] = new JsonArray(new JsonObject
        {
            ["name"] = user, ["password_hash"] = PasswordHash(password), ["hashing_algorithm"] = "rabbit_password_hashing_sha256",
            ["tags"] = new JsonArray("administrator"),
        });
        definitions["permissions"] = new JsonArray(new JsonObject
        {
            ["user"] = user, ["vhost"] = VirtualHost, ["configure"] = ".*", ["write"] = ".*", ["read"] = ".*",
        });
        var path = Path.Combine(folder, "definitions.json");
        await File.WriteAllTextAsync(path, definitions.ToJsonString());
        return path;
    }

    /// <summary>RabbitMQ's stored form: a 4-byte salt, then SHA-256 of the salt and the password, in base64.</summary>
    private static string PasswordHash(string password)
    {
        var salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(4);
        var hash = System.Security.Cryptography.SHA256.HashData([.. salt, .. System.Text.Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }

    private static IEnumerable<JsonNode> Policies() => Load()["policies"]!.AsArray().Select(p => p!);

    private static JsonObject Load() => JsonNode.Parse(File.ReadAllText(FilePath))!.AsObject();
}
