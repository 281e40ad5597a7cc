using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mongo.Driver;

namespace Mongo.Extensions.DependencyInjection;

/// <summary>Creates the registered clients: the one place that decides which logger factory a client gets.</summary>
internal static class MongoClientFactory
{
    public static MongoClient Create(IServiceProvider services, MongoClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings, "the settings factory's result");
        // Cloned so that the container's logger factory is not written into settings the application still holds.
        var own = settings.Clone();
        if (own.LoggerFactory is null)
        {
            // A NullLoggerFactory would only make the client format messages nobody reads.
            var loggerFactory = services.GetService<ILoggerFactory>();
            own.LoggerFactory = loggerFactory is NullLoggerFactory ? null : loggerFactory;
        }

        return new MongoClient(own);
    }
}
