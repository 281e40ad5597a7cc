using Microsoft.Extensions.DependencyInjection;
using Mongo.Driver;

namespace Mongo.Extensions.DependencyInjection;

/// <summary>
/// Registers handles of one registered client: a <see cref="MongoDatabase"/> and typed
/// <see cref="MongoCollection{TDocument}"/>s, under the client's key when the client is keyed. Handles are cheap
/// singletons; they share the client's pools.
/// </summary>
public sealed class MongoClientBuilder
{
    internal MongoClientBuilder(IServiceCollection services, object? serviceKey)
    {
        Services = services;
        ServiceKey = serviceKey;
    }

    /// <summary>The service collection the client was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The client's key, or null for the unkeyed client.</summary>
    public object? ServiceKey { get; }

    /// <summary>Registers <see cref="MongoDatabase"/> for a database of this client.</summary>
    /// <param name="databaseName">The database; when null, the connection string's database (<c>mongodb://host/app</c>).</param>
    /// <returns>This builder.</returns>
    /// <remarks>When the name is null and the connection string names no database, resolving the database throws a
    /// <see cref="MongoConfigurationException"/>.</remarks>
    public MongoClientBuilder AddDatabase(string? databaseName = null)
    {
        if (databaseName is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(databaseName);
        }

        Register(sp => GetDatabase(sp, databaseName));
        return this;
    }

    /// <summary>Registers <see cref="MongoCollection{TDocument}"/> for a collection of this client.</summary>
    /// <typeparam name="TDocument">The document type. Under NativeAOT its serializer comes from a generated context
    /// (<c>MongoClientSettings.SerializerContext</c>), set in the client's settings callback.</typeparam>
    /// <param name="collectionName">The collection.</param>
    /// <param name="databaseName">The database; when null, the connection string's database.</param>
    /// <returns>This builder.</returns>
    public MongoClientBuilder AddCollection<TDocument>(string collectionName, string? databaseName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(collectionName);
        Register(sp => GetDatabase(sp, databaseName).GetCollection<TDocument>(collectionName));
        return this;
    }

    private void Register<TService>(Func<IServiceProvider, TService> factory)
        where TService : class
    {
        if (ServiceKey is null)
        {
            Services.AddSingleton(factory);
        }
        else
        {
            Services.AddKeyedSingleton(ServiceKey, (sp, _) => factory(sp));
        }
    }

    private MongoDatabase GetDatabase(IServiceProvider services, string? databaseName)
    {
        var client = ServiceKey is null ? services.GetRequiredService<MongoClient>() : services.GetRequiredKeyedService<MongoClient>(ServiceKey);
        string? name = databaseName ?? client.Settings.DefaultDatabase;
        if (string.IsNullOrEmpty(name))
        {
            throw new MongoConfigurationException("No database to register" + (ServiceKey is null ? "" : " for the client keyed '" + ServiceKey + "'")
                + ": pass a name to AddDatabase/AddCollection or put one in the connection string (mongodb://host/<database>).");
        }

        return client.GetDatabase(name);
    }
}
