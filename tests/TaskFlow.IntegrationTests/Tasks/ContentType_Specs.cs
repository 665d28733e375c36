using System.Net;
using System.Text;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Tasks;

public class When_a_body_comes_with_an_odd_content_type : SignedInSpec
{
    private const string Body = "{\"title\": \"Typed\"}";

    [TestCase("application/json; charset=\"../../\"")]
    [TestCase("application/json; charset=klingon")]
    [TestCase("application/json; charset=")]
    [TestCase("application/json; charset=\"\"")]
    [TestCase("application/json; charset=utf-8; charset=klingon")]
    [TestCase("application/json;;")]
    [TestCase("application/json; =utf-8")]
    [TestCase("application/")]
    [TestCase("text/plain")]
    [TestCase(";")]
    public async Task Should_answer_415_and_store_nothing(string contentType)
    {
        var response = await PostAsync(contentType);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.That((await User.GetJsonAsync(TaskApi.Tasks)).GetProperty("items").GetArrayLength(), Is.Zero);
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-8")]
    [TestCase("application/json; charset=\"utf-8\"")]
    public async Task Should_accept_JSON_in_UTF_8(string contentType)
    {
        var response = await PostAsync(contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PostAsync(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return User.PostAsync(TaskApi.Tasks, content);
    }
}
