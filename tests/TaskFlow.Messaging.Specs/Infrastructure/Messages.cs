namespace TaskFlow.Messaging.Specs.Infrastructure;

/// <summary>The n-th message of one partition key.</summary>
public sealed record Numbered(string Key, int Seq);

/// <summary>Published straight to the bus after the messages under test; once it is consumed, nothing before it is still in flight.</summary>
public sealed record Marker(Guid Id);

public sealed record Ping(Guid Id);

public sealed record Forward(Guid Id, bool Fail);

public sealed record Forwarded(Guid Id);
