using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mongo.Driver;
using Mongo.Extensions.DependencyInjection;

// The Microsoft.Extensions.DependencyInjection namespace, as every AddXxx extension does, so that
// `services.AddMongoClient(...)` is found without a using directive.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a <see cref="MongoClient"/> as a singleton: the container creates it on first use, gives it the
/// container's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/> unless the settings name one, and disposes it
/// (closing its pools and monitors) when the container is disposed.
/// </summary>
public static class MongoServiceCollectionExtensions
{
    /// <summary>Registers a client for a connection string (<c>mongodb://</c> or <c>mongodb+srv://</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The connection string; it is parsed now, so a malformed one fails here.</param>
    /// <param name="configure">Changes the settings after the connection string is applied (event subscribers, a serializer context, ...).</param>
    /// <returns>A builder to register databases and typed collections of this client.</returns>
    /// <exception cref="MongoConfigurationException">The connection string is not valid.</exception>
    public static MongoClientBuilder AddMongoClient(this IServiceCollection services, string connectionString, Action<MongoClientSettings>? configure = null) =>
        AddCore(services, serviceKey: null, FromConnectionString(connectionString, configure));

    /// <summary>
    /// Registers a client from configuration: the connection string is <c>ConnectionStrings:{connectionName}</c>, or
    /// else <c>{sectionName}:ConnectionString</c>; the other keys of <paramref name="sectionName"/> set options (see
    /// <see cref="MongoConfiguration"/>). Values are read now, without reflection (trim- and AOT-safe).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration root (or any section that holds both places).</param>
    /// <param name="connectionName">The name under <c>ConnectionStrings</c>.</param>
    /// <param name="sectionName">The options section; it may be absent.</param>
    /// <param name="configure">Changes the settings after configuration is applied.</param>
    /// <returns>A builder to register databases and typed collections of this client.</returns>
    /// <exception cref="MongoConfigurationException">No connection string, a malformed one, or an unknown or malformed option.</exception>
    public static MongoClientBuilder AddMongoClient(this IServiceCollection services, IConfiguration configuration, string connectionName = MongoConfiguration.DefaultConnectionName,
        string sectionName = MongoConfiguration.DefaultSectionName, Action<MongoClientSettings>? configure = null) =>
        AddCore(services, serviceKey: null, FromConfiguration(configuration, connectionName, sectionName, configure));

    /// <summary>Registers a client whose settings a callback builds when the client is first resolved.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="settingsFactory">Builds the settings; it may resolve other services (options, secrets) from the provider.</param>
    /// <returns>A builder to register databases and typed collections of this client.</returns>
    public static MongoClientBuilder AddMongoClient(this IServiceCollection services, Func<IServiceProvider, MongoClientSettings> settingsFactory) =>
        AddCore(services, serviceKey: null, settingsFactory ?? throw new ArgumentNullException(nameof(settingsFactory)));

    /// <summary>Registers a keyed (named) client for a connection string; resolve it with <c>[FromKeyedServices(key)]</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key the client (and the databases and collections registered through the builder) are registered under.</param>
    /// <param name="connectionString">The connection string; parsed now.</param>
    /// <param name="configure">Changes the settings after the connection string is applied.</param>
    /// <returns>A builder to register databases and typed collections of this client, under the same key.</returns>
    /// <exception cref="MongoConfigurationException">The connection string is not valid.</exception>
    public static MongoClientBuilder AddKeyedMongoClient(this IServiceCollection services, object serviceKey, string connectionString, Action<MongoClientSettings>? configure = null) =>
        AddCore(services, serviceKey ?? throw new ArgumentNullException(nameof(serviceKey)), FromConnectionString(connectionString, configure));

    /// <summary>
    /// Registers a keyed client from configuration: <c>ConnectionStrings:{connectionName}</c> or
    /// <c>{sectionName}:ConnectionString</c>, and the options of <paramref name="sectionName"/>
    /// (by default <c>Mongo:{connectionName}</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key the client is registered under.</param>
    /// <param name="configuration">The application's configuration root.</param>
    /// <param name="connectionName">The name under <c>ConnectionStrings</c>.</param>
    /// <param name="sectionName">The options section; <c>Mongo:{connectionName}</c> when null.</param>
    /// <param name="configure">Changes the settings after configuration is applied.</param>
    /// <returns>A builder to register databases and typed collections of this client, under the same key.</returns>
    /// <exception cref="MongoConfigurationException">No connection string, a malformed one, or an unknown or malformed option.</exception>
    public static MongoClientBuilder AddKeyedMongoClient(this IServiceCollection services, object serviceKey, IConfiguration configuration, string connectionName,
        string? sectionName = null, Action<MongoClientSettings>? configure = null) =>
        AddCore(services, serviceKey ?? throw new ArgumentNullException(nameof(serviceKey)),
            FromConfiguration(configuration, connectionName, sectionName ?? MongoConfiguration.DefaultSectionName + ":" + connectionName, configure));

    /// <summary>Registers a keyed client whose settings a callback builds when the client is first resolved.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key the client is registered under.</param>
    /// <param name="settingsFactory">Builds the settings; it may resolve other services from the provider.</param>
    /// <returns>A builder to register databases and typed collections of this client, under the same key.</returns>
    public static MongoClientBuilder AddKeyedMongoClient(this IServiceCollection services, object serviceKey, Func<IServiceProvider, MongoClientSettings> settingsFactory) =>
        AddCore(services, serviceKey ?? throw new ArgumentNullException(nameof(serviceKey)), settingsFactory ?? throw new ArgumentNullException(nameof(settingsFactory)));

    private static Func<IServiceProvider, MongoClientSettings> FromConnectionString(string connectionString, Action<MongoClientSettings>? configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        configure?.Invoke(settings);
        return _ => settings;
    }

    private static Func<IServiceProvider, MongoClientSettings> FromConfiguration(IConfiguration configuration, string connectionName, string sectionName, Action<MongoClientSettings>? configure)
    {
        var settings = MongoConfiguration.ReadSettings(configuration, connectionName, sectionName);
        configure?.Invoke(settings);
        return _ => settings;
    }

    private static MongoClientBuilder AddCore(IServiceCollection services, object? serviceKey, Func<IServiceProvider, MongoClientSettings> settingsFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        // A factory registration: the container owns what the factory returns and disposes it with itself.
        if (serviceKey is null)
        {
            services.AddSingleton(sp => MongoClientFactory.Create(sp, settingsFactory(sp)));
        }
        else
        {
            services.AddKeyedSingleton(serviceKey, (sp, _) => MongoClientFactory.Create(sp, settingsFactory(sp)));
        }

        return new MongoClientBuilder(services, serviceKey);
    }
}
