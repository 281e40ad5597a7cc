namespace Mongo.Driver.Operations;

/// <summary>How a handle's timeoutMS becomes a call's <see cref="OperationContext"/>.</summary>
internal static class OperationTimeouts
{
    /// <summary>A timeoutMS as handles store it: zero and <see cref="Timeout.InfiniteTimeSpan"/> both mean no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative (client-side operations timeout spec: drivers MUST error).</exception>
    public static TimeSpan Validate(TimeSpan timeout)
    {
        if (timeout == TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        return timeout > TimeSpan.Zero ? timeout
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeoutMS must not be negative (zero or Timeout.InfiniteTimeSpan means no limit).");
    }

    /// <summary>
    /// The context of a call under <paramref name="timeout"/>; inside <c>WithTransaction</c> run with a timeout, the
    /// session's one deadline instead (client-side operations timeout spec "Convenient Transactions API").
    /// </summary>
    /// <param name="timeout">The handle's effective timeoutMS (its own or inherited).</param>
    /// <param name="ownTimeout">
    /// The timeoutMS set on the handle itself or a handle it came from below the client (WithTimeout), null when it only
    /// inherits the client's: inside WithTransaction's deadline such an override is refused rather than silently ignored.
    /// </param>
    /// <param name="session">The handle's explicit session, if any.</param>
    /// <param name="cancellationToken">The call's token.</param>
    /// <param name="omitMaxTime">Whether the commands of the call carry no maxTimeMS.</param>
    /// <exception cref="MongoClientException">A handle with its own timeoutMS runs inside WithTransaction under timeoutMS.</exception>
    public static OperationContext Start(TimeSpan? timeout, TimeSpan? ownTimeout, MongoSession? session, CancellationToken cancellationToken, bool omitMaxTime = false)
    {
        if (session?.TimeoutContext is not { } active)
        {
            return OperationContext.Start(timeout, cancellationToken, omitMaxTime);
        }

        if (ownTimeout is not null)
        {
            // CSOT spec, convenient transactions: the callback's operations share withTransaction's one deadline, so a
            // timeoutMS of their own cannot be honoured; the spec requires an error before anything is sent.
            throw new MongoClientException(
                "An operation inside WithTransaction's callback cannot set its own timeoutMS (WithTimeout on the collection or database): "
                + "WithTransaction runs under the session's timeoutMS and its operations share that one deadline.");
        }

        return active.With(cancellationToken, omitMaxTime);
    }

    /// <summary>
    /// The client-side operations timeout spec's cursor rules: whether getMores get timeoutMS anew (iteration), checked
    /// against the options before anything is sent.
    /// </summary>
    /// <exception cref="MongoClientException">A timeout mode without timeoutMS, cursor lifetime for a tailable cursor,
    /// iteration for an aggregate writing with $out/$merge, or a maxAwaitTime not below timeoutMS.</exception>
    public static bool IsIteration(OperationContext context, CursorTimeoutMode? mode, bool tailable, TimeSpan? maxAwaitTime, bool writeStage)
    {
        if (mode is not null && !context.IsTimeoutSet)
        {
            throw new MongoClientException("A cursor timeout mode (" + mode + ") needs a timeoutMS (set it on the client, database, collection or with WithTimeout).");
        }

        if (tailable && mode == CursorTimeoutMode.CursorLifetime)
        {
            throw new MongoClientException("A tailable cursor cannot use CursorTimeoutMode.CursorLifetime: its timeoutMS applies to each iteration.");
        }

        if (writeStage && mode == CursorTimeoutMode.Iteration)
        {
            throw new MongoClientException("An aggregate ending in $out or $merge cannot use CursorTimeoutMode.Iteration: the whole pipeline runs in its first command.");
        }

        if (maxAwaitTime is { } wait && context.Timeout is { } timeout && timeout != Timeout.InfiniteTimeSpan && wait >= timeout)
        {
            throw new MongoClientException("maxAwaitTimeMS (" + (long)wait.TotalMilliseconds + ") must be less than timeoutMS (" + (long)timeout.TotalMilliseconds
                + "): a getMore waiting that long would always time out.");
        }

        return mode == CursorTimeoutMode.Iteration || tailable;
    }
}
