namespace Mongo.Driver.Wire;

/// <summary>Process-wide request ids: unique per message sent, as the server echoes them in <c>responseTo</c>.</summary>
internal static class RequestIds
{
    private static int s_last;

    /// <summary>The next id (wraps around after int.MaxValue, which is harmless: ids need only be unique per connection in flight).</summary>
    public static int Next() => Interlocked.Increment(ref s_last);
}
