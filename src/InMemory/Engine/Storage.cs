namespace Mongo.InMemory.Engine;

/// <summary>Placeholder for the engine's storage (owned by the engine, which replaces this file).</summary>
internal sealed class Storage
{
}
