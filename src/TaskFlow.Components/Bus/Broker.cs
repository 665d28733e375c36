using MassTransit;
using Microsoft.Extensions.Configuration;

namespace TaskFlow.Components.Bus;

/// <summary>The RabbitMQ broker a host connects to: ConnectionStrings:RabbitMq, an amqp:// URI that carries the user and password.</summary>
public static class Broker
{
    public const string ConnectionStringName = "RabbitMq";
    public const string DefaultConnectionString = "amqp://taskflow:taskflow@127.0.0.1:5672/";

    public static Uri Address(IConfiguration configuration) =>
        new(configuration.GetConnectionString(ConnectionStringName) ?? DefaultConnectionString);

    /// <summary>Connects as the URI's user, or as RabbitMQ's own default user when the URI names none.</summary>
    public static void Connect(this IRabbitMqBusFactoryConfigurator rabbit, Uri broker) =>
        rabbit.Host(broker, host =>
        {
            var parts = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
            var (user, password) = parts.Length == 2 && parts[0].Length > 0 ? (parts[0], parts[1]) : ("guest", "guest");
            host.Username(user);
            host.Password(password);
        });
}
