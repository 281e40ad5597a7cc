namespace Mongo.InMemory.Commands;

/// <summary>The failCommand fail point's blockConnection, bounded by the command's maxTimeMS.</summary>
internal sealed partial class CommandDispatcher
{
    /// <summary>
    /// Holds the command for <paramref name="blockTimeMs"/>, as mongod's interruptible sleep does: when the command's
    /// deadline comes first the wait ends there with MaxTimeMSExpired (null: the whole block passed).
    /// </summary>
    private static async ValueTask<CommandException?> BlockAsync(int blockTimeMs, long expiresAt, CancellationToken cancellationToken)
    {
        int remaining = OperationDeadline.RemainingMs(expiresAt);
        if (remaining < blockTimeMs)
        {
            await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
            return OperationDeadline.Expired();
        }

        await Task.Delay(blockTimeMs, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
