using Mongo.Driver.Connections;
using Mongo.Driver.Operations;

namespace Mongo.Driver.Tests.Pooling;

/// <summary>A connection that opens instantly (or after <see cref="OpenDelay"/>) and never talks to a server: for CMAP unit tests.</summary>
internal sealed class FakeConnection(long id, int generation) : IConnection
{
    public long Id { get; } = id;

    public int Generation { get; } = generation;

    public MongoServerAddress Address { get; } = new("fake.example", 27017);

    public ConnectionDescription? Description => null;

    public bool IsBroken { get; private set; }

    public bool IsDisposed { get; private set; }

    public long LastUsedTimestamp { get; set; }

    public TimeSpan OpenDelay { get; init; }

    public Exception? OpenError { get; init; }

    public async ValueTask OpenAsync(bool async, CancellationToken cancellationToken, Deadline? operationDeadline = null)
    {
        if (OpenDelay > TimeSpan.Zero)
        {
            await Task.Delay(OpenDelay, cancellationToken);
        }

        if (OpenError is not null)
        {
            throw OpenError;
        }
    }

    public ValueTask<CommandReply?> ExecuteAsync(bool async, IWireCommand message, CommandExtras extras, Deadline deadline, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Fake connections carry no commands.");

    public Exception Break(Exception reason)
    {
        IsBroken = true;
        return reason;
    }

    public void Dispose()
    {
        IsBroken = true;
        IsDisposed = true;
    }
}
