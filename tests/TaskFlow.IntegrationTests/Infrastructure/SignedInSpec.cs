namespace TaskFlow.IntegrationTests.Infrastructure;

/// <summary>For fixtures whose every test acts as a freshly registered user of the shared API.</summary>
public abstract class SignedInSpec
{
    protected HttpClient User { get; private set; } = null!;

    /// <summary>The profile time zone of the user each test signs in as.</summary>
    protected virtual string TimeZone => "Europe/Paris";

    [SetUp]
    public async Task SignIn() => User = await IntegrationSetup.Api.NewUserAsync(TimeZone);

    [TearDown]
    public void SignOut() => User.Dispose();
}
