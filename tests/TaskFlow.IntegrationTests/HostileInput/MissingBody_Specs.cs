using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>Every operation that reads a JSON body, sent none, or <c>null</c>: a 400 naming the body, as for any bad field.</summary>
public class When_a_body_is_missing : SignedInSpec
{
    [TestCase("")]
    [TestCase("null")]
    public async Task Should_answer_400_naming_the_body(string body)
    {
        var document = new ApiDocument(await User.GetFromJsonAsync<JsonElement>("/openapi/v1.json"));
        var operations = document.Operations().Where(o => o.Body is not null).ToList();
        Assert.That(operations, Is.Not.Empty);

        var unnamed = new List<string>();
        foreach (var operation in operations)
        {
            // Any id will do: the body is read before the handler looks anything up.
            var url = operation.Parameters.Where(p => p.In == "path").Aggregate(operation.Path, (path, p) =>
                path.Replace($"{{{p.Name}}}", p.Schema.GetProperty("format").GetString() == "uuid" ? Guid.NewGuid().ToString() : "1", StringComparison.Ordinal));
            using var request = new HttpRequestMessage(new HttpMethod(operation.Method), url)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };

            using var response = await User.SendAsync(request);

            var answer = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != 400 || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !JsonDocument.Parse(answer).RootElement.TryGetProperty("errors", out var errors) || !errors.TryGetProperty("body", out _))
                unnamed.Add($"{operation} → {(int)response.StatusCode} {answer}");
        }

        Assert.That(unnamed, Is.Empty, "answered without naming the body in errors");
    }
}
