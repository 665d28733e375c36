using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.IntegrationTests.Recurrence;

namespace TaskFlow.IntegrationTests.Tasks;

/// <summary>If-Match as RFC 9110 reads it: a list of the task's (or series') strong ETags, or "*" for whichever is current.</summary>
public class When_a_write_names_its_version_in_If_Match : SignedInSpec
{
    private static readonly object Repeating = new { title = "Standup", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily" };

    private static IEnumerable<TestCaseData> Writes()
    {
        yield return new TestCaseData("PUT", "").SetName("replace");
        yield return new TestCaseData("POST", "/complete").SetName("complete");
        yield return new TestCaseData("POST", "/reopen").SetName("reopen");
        yield return new TestCaseData("DELETE", "").SetName("delete");
        yield return new TestCaseData("PUT", "/series").SetName("change the series");
        yield return new TestCaseData("POST", "/series/skip").SetName("skip in the series");
        yield return new TestCaseData("POST", "/series/stop").SetName("stop the series");
    }

    [TestCaseSource(nameof(Writes))]
    public async Task Should_refuse_an_empty_or_malformed_If_Match_naming_it_and_change_nothing(string method, string path)
    {
        // Empty ones first: they were taken for no header at all, and skipped the version check.
        foreach (var unreadable in new[] { "", "  ", ",", "\"1", "1\"", "1", "\"-1\"", "\"1\" \"2\"", "**", "\"1\", *" })
        {
            var task = await User.CreateTaskAsync(Repeating);

            var response = await SendAsync(method, $"{TaskApi.Tasks}/{task.Id()}{path}", unreadable);

            await response.ShouldNameFieldAsync("If-Match");
            await ShouldBeUnchangedAsync(task.Id());
        }
    }

    [TestCaseSource(nameof(Writes))]
    public async Task Should_let_a_star_match_whatever_version_is_current(string method, string path)
    {
        var task = await User.CreateTaskAsync(Repeating);
        await User.PutTaskAsync(task.Id(), new { title = "Standup v2", due = new { dateTime = "2427-01-04T09:00" }, recurrence = "daily" }, ifMatch: "\"1\"");

        var response = await SendAsync(method, $"{TaskApi.Tasks}/{task.Id()}{path}", "*");

        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }

    [TestCaseSource(nameof(Writes))]
    public async Task Should_accept_a_list_that_holds_the_current_version(string method, string path)
    {
        var task = await User.CreateTaskAsync(Repeating);

        var response = await SendAsync(method, $"{TaskApi.Tasks}/{task.Id()}{path}", "\"7\", \"1\"");

        Assert.That((int)response.StatusCode, Is.InRange(200, 299), await response.Content.ReadAsStringAsync());
    }

    [TestCaseSource(nameof(Writes))]
    public async Task Should_refuse_a_weak_tag_as_never_matching(string method, string path)
    {
        var task = await User.CreateTaskAsync(Repeating);

        var response = await SendAsync(method, $"{TaskApi.Tasks}/{task.Id()}{path}", "W/\"1\"");

        await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        await ShouldBeUnchangedAsync(task.Id());
    }

    [Test]
    public async Task Should_still_require_a_version_to_replace_a_task_or_change_a_series()
    {
        var task = await User.CreateTaskAsync(Repeating);

        var replaced = await SendAsync("PUT", $"{TaskApi.Tasks}/{task.Id()}", ifMatch: null);
        var changed = await SendAsync("PUT", $"{TaskApi.Tasks}/{task.Id()}/series", ifMatch: null);

        await replaced.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        await changed.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        await ShouldBeUnchangedAsync(task.Id());
    }

    /// <summary>Sent straight to the test server, which keeps the header as written: HttpClient drops an empty one.</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, string url, string? ifMatch)
    {
        var body = method == "PUT"
            ? JsonSerializer.SerializeToUtf8Bytes(new { title = "Changed", due = new { dateTime = "2427-01-05T10:00" }, recurrence = "weekly" })
            : [];
        var context = await IntegrationSetup.Api.Server.SendAsync(http =>
        {
            http.Request.Method = method;
            http.Request.Path = url;
            http.Request.Headers.Authorization = User.DefaultRequestHeaders.Authorization!.ToString();
            if (ifMatch is not null)
                http.Request.Headers.IfMatch = ifMatch;
            if (body.Length > 0)
            {
                http.Request.ContentType = "application/json";
                http.Request.ContentLength = body.Length;
                http.Request.Body = new MemoryStream(body);
                http.Features.Set<IHttpRequestBodyDetectionFeature>(new WithBody());
            }
        });
        var answer = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode) { Content = new StreamContent(context.Response.Body) };
        answer.Content.Headers.TryAddWithoutValidation("Content-Type", context.Response.ContentType);
        return answer;
    }

    private sealed class WithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private async Task ShouldBeUnchangedAsync(string taskId)
    {
        var task = await User.GetJsonAsync($"{TaskApi.Tasks}/{taskId}");
        var series = await User.SeriesAsync(taskId);
        Assert.That(task.GetProperty("title").GetString(), Is.EqualTo("Standup"));
        Assert.That(task.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(task.Version(), Is.EqualTo(1));
        Assert.That(series.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }
}
