using MassTransit;
using Microsoft.Extensions.Configuration;

namespace TaskFlow.Components.Bus;

/// <summary>
/// Replicated (quorum) queues for a RabbitMQ cluster, switched on by Messaging:QuorumQueues: a single dev broker gains
/// nothing from them, and an existing classic queue cannot change type in place (docs/decisions/0013).
/// </summary>
public static class QuorumQueues
{
    public const string ConfigurationKey = "Messaging:QuorumQueues";

    private const string QueueTypeArgument = "x-queue-type";
    private const string DeadLetterExchangeArgument = "x-dead-letter-exchange";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue(ConfigurationKey, false);

    /// <summary>Where MassTransit moves a message that failed every retry, and where the broker dead-letters one (infra/rabbitmq).</summary>
    public static string ErrorQueueName(string queue) => $"{queue}_error";

    /// <summary>
    /// A durable receive endpoint becomes a quorum queue, with its _error queue declared beside it from the start.
    /// The delivery limit and the dead-lettering to the _error queue come from the broker's policies, not from queue
    /// arguments: every sender to "queue:taskflow-reminders" declares that queue too, without arguments, and the broker
    /// refuses a declaration whose arguments differ (PRECONDITION_FAILED), while policies are not compared.
    /// </summary>
    public static void UseQuorumQueue(this IReceiveEndpointConfigurator endpoint, string queue, bool enabled)
    {
        if (!enabled || endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;
        if (queue.StartsWith(BusExtensions.LiveQueuePrefix, StringComparison.Ordinal))
        {
            // A quorum queue is always durable and can be neither exclusive nor auto-deleted, while an API instance's live
            // queue must vanish with it: classic, said explicitly, as the cluster's virtual host defaults to quorum.
            rabbit.SetQueueArgument(QueueTypeArgument, "classic");
            return;
        }

        rabbit.SetQuorumQueue();
        // The broker silently drops what it dead-letters to an exchange that does not exist, and MassTransit declares the
        // _error queue only when it first moves a message there: declared with the endpoint, as MassTransit would declare it
        // (the endpoint queue's arguments, so quorum too). Bound only; the dead-lettering itself is the policy's.
        var error = ErrorQueueName(queue);
        rabbit.BindDeadLetterQueue(error, error, errorQueue => errorQueue.SetQuorumQueue());
        rabbit.SetQueueArgument(DeadLetterExchangeArgument, null);
    }
}
