using TaskFlow.IntegrationTests.Infrastructure;
using TaskFlow.Testing;

namespace TaskFlow.IntegrationTests.Accounts;

/// <summary>Migration 0013 gives accounts made before NFKC comparison the comparison form sign-in now computes.</summary>
public class When_accounts_from_before_NFKC_comparison_are_migrated
{
    [Test]
    public async Task Should_renormalise_them_and_leave_twins_alone()
    {
        await using var database = await TaskFlowDatabase.CreateAsync("emails");
        // As registration stored them before: trimmed and lower-cased only.
        await database.ExecuteAsync("""
            INSERT INTO users (id, email, normalized_email, password_hash, time_zone, created_at) VALUES
              (gen_random_uuid(), 'Ada@ＥＸＡＭＰＬＥ.com', 'ada@ｅｘａｍｐｌｅ.com', 'x', 'UTC', now()),
              (gen_random_uuid(), 'bob@example.com', 'bob@example.com', 'x', 'UTC', now()),
              (gen_random_uuid(), 'ｂob@example.com', 'ｂob@example.com', 'x', 'UTC', now()),
              (gen_random_uuid(), '\ufb01rm@example.com', '\ufb01rm@example.com', 'x', 'UTC', now())
            """.Replace("\\ufb01", "\ufb01"));

        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "migrations", "0013_email_nfkc.sql")));

        var forms = await database.ReadStringsAsync("SELECT email || ' ' || normalized_email FROM users ORDER BY email");
        Assert.That(forms, Is.EquivalentTo(new[]
        {
            "Ada@ＥＸＡＭＰＬＥ.com ada@example.com",
            "bob@example.com bob@example.com",
            "ｂob@example.com ｂob@example.com",
            "\ufb01rm@example.com firm@example.com",
        }));
    }
}
