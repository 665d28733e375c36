using System.Net;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_two_clients_change_the_same_task : SignedInSpec
{
    [Test]
    public async Task Should_refuse_the_stale_write_with_412_and_keep_the_first()
    {
        var task = await User.CreateTaskAsync(new { title = "Plan trip" });

        var first = await User.PutTaskAsync(task.Id(), new { title = "Plan trip to Rome", version = 1 });
        var second = await User.PutTaskAsync(task.Id(), new { title = "Plan trip to Oslo", version = 1 });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await second.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.That(problem.GetProperty("currentVersion").GetInt32(), Is.EqualTo(2));
        var stored = await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}");
        Assert.That(stored.GetProperty("title").GetString(), Is.EqualTo("Plan trip to Rome"));
    }

    [Test]
    public async Task Should_refuse_a_stale_if_match()
    {
        var task = await User.CreateTaskAsync(new { title = "Plan trip" });
        await User.PutTaskAsync(task.Id(), new { title = "v2" }, ifMatch: "\"1\"");

        var stale = await User.PutTaskAsync(task.Id(), new { title = "v3" }, ifMatch: "\"1\"");

        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Should_let_only_one_of_many_simultaneous_writers_win()
    {
        var task = await User.CreateTaskAsync(new { title = "Contended" });

        var writes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            User.PutTaskAsync(task.Id(), new { title = $"Writer {i}", version = 1 })));

        Assert.That(writes.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
        Assert.That(writes.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed), Is.EqualTo(7));
        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}")).Version(), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_require_a_version_on_update()
    {
        var task = await User.CreateTaskAsync(new { title = "Unversioned" });

        var response = await User.PutTaskAsync(task.Id(), new { title = "Blind overwrite" });

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.That((await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}")).GetProperty("title").GetString(), Is.EqualTo("Unversioned"));
    }

    [Test]
    public async Task Should_refuse_a_stale_delete()
    {
        var task = await User.CreateTaskAsync(new { title = "Keep me" });
        await User.PutTaskAsync(task.Id(), new { title = "Kept", version = 1 });

        var request = new HttpRequestMessage(HttpMethod.Delete, $"{TaskApi.Tasks}/{task.Id()}");
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await User.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        await User.GetJsonAsync($"{TaskApi.Tasks}/{task.Id()}");
    }

    [Test]
    public async Task Should_name_an_unreadable_if_match()
    {
        var task = await User.CreateTaskAsync(new { title = "Odd header" });

        var response = await User.PutTaskAsync(task.Id(), new { title = "x" }, ifMatch: "\"banana\"");

        await response.ShouldNameFieldAsync("If-Match");
    }
}
