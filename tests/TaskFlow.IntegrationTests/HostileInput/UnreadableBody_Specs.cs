using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.HostileInput;

/// <summary>JSON that breaks inside a property without a name: the answer still names a field a client can act on.</summary>
public class When_a_body_breaks_inside_a_nameless_property : SignedInSpec
{
    [TestCase("""{"title":"Plan the week","":""" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "}")]
    [TestCase("""{"title":"Plan the week","":{"":""" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "}}")]
    public async Task Should_answer_400_naming_the_body(string body)
    {
        using var response = await User.PostAsync("/api/v1/tasks", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldNameFieldAsync("body");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Has.None.Empty, problem.ToString());
    }
}
