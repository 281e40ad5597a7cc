using Mongo.Driver.Connections;
using Mongo.Driver.Topology;

namespace Mongo.Driver.Sessions;

/// <summary>
/// Load-balancers spec: a transaction in load-balanced mode keeps the connection of its first command, so every command
/// reaches the same service behind the balancer; the session gives it back to the pool when it unpins.
/// </summary>
internal sealed class PinnedConnection(IConnection connection, Server server)
{
    private int _released;

    public IConnection Connection => connection;

    public Server Server => server;

    /// <summary>Checks the connection back in (once; a broken one is closed by the pool).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            server.Pool.CheckIn(connection);
        }
    }
}
