namespace Mongo.Driver;

public sealed partial class MongoClientSettings
{
    /// <summary>
    /// The DNS resolver for <c>mongodb+srv</c> host names: the initial SRV and TXT lookups (done in the background when
    /// the client starts, never in its constructor) and SRV polling. Null (the default) uses <see cref="DnsClientResolver"/>
    /// with the system's DNS servers; supply one to use other servers, a cache, or a fake in tests.
    /// Code only: not a connection-string option.
    /// </summary>
    public IDnsResolver? DnsResolver { get; set; }
}
