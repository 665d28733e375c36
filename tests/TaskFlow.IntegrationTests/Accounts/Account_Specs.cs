using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TaskFlow.IntegrationTests.Infrastructure;

namespace TaskFlow.IntegrationTests.Accounts;

public class When_someone_registers_and_logs_in
{
    private const string Password = "a long enough password";
    private HttpClient client = null!;
    private string email = "";

    [SetUp]
    public void NewVisitor()
    {
        client = IntegrationSetup.Api.CreateClient();
        email = $"Visitor-{Guid.NewGuid():N}@Example.com";
    }

    [TearDown]
    public void Leave() => client.Dispose();

    [Test]
    public async Task Should_create_the_account_and_issue_a_working_token()
    {
        var registered = await client.PostAsJsonAsync("/api/v1/accounts/register", new { email, password = Password, timeZone = "Asia/Kolkata" });
        var login = await client.PostAsJsonAsync("/api/v1/accounts/login", new { email = email.ToUpperInvariant(), password = Password });

        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await registered.Content.ReadAsStringAsync());
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var token = await login.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(token.GetProperty("tokenType").GetString(), Is.EqualTo("Bearer"));
        Assert.That(token.GetProperty("expiresIn").GetInt32(), Is.GreaterThan(0));

        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/accounts/me");
        Assert.That(me.GetProperty("email").GetString(), Is.EqualTo(email));
        Assert.That(me.GetProperty("timeZone").GetString(), Is.EqualTo("Asia/Kolkata"));
    }

    [Test]
    public async Task Should_default_the_time_zone_to_UTC_and_let_the_user_change_it()
    {
        await client.PostAsJsonAsync("/api/v1/accounts/register", new { email, password = Password });
        var login = await (await client.PostAsJsonAsync("/api/v1/accounts/login", new { email, password = Password })).Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());

        var before = await client.GetFromJsonAsync<JsonElement>("/api/v1/accounts/me");
        var changed = await client.PutAsJsonAsync("/api/v1/accounts/me", new { timeZone = "America/Sao_Paulo" });
        var refused = await client.PutAsJsonAsync("/api/v1/accounts/me", new { timeZone = "Atlantis/Capital" });
        var after = await client.GetFromJsonAsync<JsonElement>("/api/v1/accounts/me");

        Assert.That(before.GetProperty("timeZone").GetString(), Is.EqualTo("UTC"));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await refused.ShouldNameFieldAsync("timeZone");
        Assert.That(after.GetProperty("timeZone").GetString(), Is.EqualTo("America/Sao_Paulo"));
    }

    [Test]
    public async Task Should_refuse_a_second_account_for_the_same_address_in_any_case()
    {
        await client.PostAsJsonAsync("/api/v1/accounts/register", new { email, password = Password });

        var again = await client.PostAsJsonAsync("/api/v1/accounts/register", new { email = email.ToLowerInvariant(), password = "another password" });

        await again.ShouldNameFieldAsync("email");
    }

    [TestCase("not-an-email", Password, null, "email")]
    [TestCase(null, Password, null, "email")]
    [TestCase("ok@example.com", "short", null, "password")]
    [TestCase("ok@example.com", null, null, "password")]
    [TestCase("ok@example.com", Password, "Moon/Tranquility", "timeZone")]
    public async Task Should_answer_400_naming_the_bad_field(string? address, string? password, string? timeZone, string field)
    {
        var response = await client.PostAsJsonAsync("/api/v1/accounts/register", new { email = address, password, timeZone });

        await response.ShouldNameFieldAsync(field);
    }

    [TestCase("register", "{\"email\": \"nul\\u0000@example.com\", \"password\": \"correct horse battery\"}", "email")]
    [TestCase("register", "{\"email\": \"ok@example.com\", \"password\": \"correct\\u0000horse\"}", "password")]
    [TestCase("register", "{\"email\": \"ok@example.com\", \"password\": \"correct horse\", \"timeZone\": \"UTC\\u0000\"}", "timeZone")]
    [TestCase("register", "{\"email\": \"\\ud800@example.com\", \"password\": \"correct horse battery\"}", "email")]
    [TestCase("login", "{\"email\": \"nul\\u0000@example.com\", \"password\": \"correct horse battery\"}", "email")]
    public async Task Should_answer_400_naming_a_field_holding_text_that_cannot_be_stored(string action, string json, string field)
    {
        var response = await client.PostAsync($"/api/v1/accounts/{action}", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldNameFieldAsync(field);
    }

    [TestCase("\u200b", TestName = "a zero-width space (format)")]
    [TestCase("\u00ad", TestName = "a soft hyphen (format)")]
    [TestCase("\u2060", TestName = "a word joiner (format)")]
    [TestCase("\u202e", TestName = "a right-to-left override (bidi)")]
    [TestCase("\u200f", TestName = "a right-to-left mark (bidi)")]
    [TestCase("\u2066", TestName = "a left-to-right isolate (bidi)")]
    [TestCase("\u0007", TestName = "a bell (control)")]
    [TestCase("\u0085", TestName = "a next-line (control)")]
    public async Task Should_refuse_an_invisible_character_naming_email(string invisible)
    {
        var response = await RegisterAsync($"{Local}{invisible}@example.com");

        await response.ShouldNameFieldAsync("email");
    }

    [Test]
    public async Task Should_refuse_an_invisible_twin_of_an_existing_account()
    {
        (await RegisterAsync($"{Local}@example.com")).EnsureSuccessStatusCode();

        var twin = await RegisterAsync($"{Local}\u200b@example.com");

        await twin.ShouldNameFieldAsync("email");
    }

    [Test]
    public async Task Should_refuse_a_compatibility_form_of_an_existing_address()
    {
        (await RegisterAsync($"{Local}@firm.example.com")).EnsureSuccessStatusCode();

        // Fullwidth letters and the "\ufb01" ligature read as their plain forms under NFKC.
        var fullwidth = await RegisterAsync($"{Local}@firm.ＥＸＡＭＰＬＥ.com");
        var ligature = await RegisterAsync($"{Local}@\ufb01rm.example.com");

        await fullwidth.ShouldNameFieldAsync("email");
        await ligature.ShouldNameFieldAsync("email");
    }

    [Test]
    public async Task Should_store_the_normalised_address_and_sign_in_by_any_of_its_forms()
    {
        var registered = await RegisterAsync($"{Local}@Ｅxample.com");
        var profile = await registered.Content.ReadFromJsonAsync<JsonElement>();

        var plain = await LoginAsync($"{Local}@example.com");
        var upper = await LoginAsync($"{Local.ToUpperInvariant()}@EXAMPLE.COM");
        var fullwidth = await LoginAsync($"{Local}@ｅｘａｍｐｌｅ.ｃｏｍ");

        Assert.That(registered.StatusCode, Is.EqualTo(HttpStatusCode.Created), profile.ToString());
        Assert.That(profile.GetProperty("email").GetString(), Is.EqualTo($"{Local}@Example.com"));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(upper.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fullwidth.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_answer_401_to_a_wrong_password_or_an_unknown_address_alike()
    {
        await client.PostAsJsonAsync("/api/v1/accounts/register", new { email, password = Password });

        var wrongPassword = await client.PostAsJsonAsync("/api/v1/accounts/login", new { email, password = "not the password" });
        var unknown = await client.PostAsJsonAsync("/api/v1/accounts/login", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = Password });

        var first = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknown.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.That(first.GetProperty("detail").GetString(), Is.EqualTo(second.GetProperty("detail").GetString()));
    }

    /// <summary>The address's local part, for writing it in look-alike forms.</summary>
    private string Local => email[..email.IndexOf('@', StringComparison.Ordinal)];

    private Task<HttpResponseMessage> RegisterAsync(string address) =>
        client.PostAsJsonAsync("/api/v1/accounts/register", new { email = address, password = Password });

    private Task<HttpResponseMessage> LoginAsync(string address) =>
        client.PostAsJsonAsync("/api/v1/accounts/login", new { email = address, password = Password });
}

public class When_someone_hammers_the_login
{
    [Test]
    public async Task Should_answer_429_with_retry_after_once_the_limit_is_spent()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("ratelimit");
        await using var api = new TaskFlowApiFactory(database.ConnectionString, IntegrationSetup.Broker.ConnectionString, authPermitLimit: 3);
        using var client = api.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var attempt = 0; attempt < 4; attempt++)
            answers.Add(await client.PostAsJsonAsync("/api/v1/accounts/login", new { email = "guess@example.com", password = $"guess {attempt}" }));

        Assert.That(answers.Take(3).Select(a => a.StatusCode), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        await answers[3].ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.That(answers[3].Headers.RetryAfter, Is.Not.Null);
    }
}
