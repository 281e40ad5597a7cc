using Microsoft.Extensions.Logging;
using Mongo.Driver.Topology;

namespace Mongo.Driver.Diagnostics;

/// <summary>The <c>serverSelection</c> log component's messages (the spec defines no events for it).</summary>
internal sealed partial class EventPublisher
{
    /// <summary>Whether server selection logs anything; selection skips all message work when false.</summary>
    public bool SelectionLogEnabled => _selectionLog is not null && _selectionLog.IsEnabled(LogLevel.Debug);

    public void SelectionStarted(string selector, string? operation, long? operationId, TopologyDescription topology)
    {
        if (!SelectionLogEnabled)
        {
            return;
        }

        string description = topology.ToString();
        Write(_selectionLog!, 1400, SelectionMessage("Server selection started", selector, operation, operationId, description)
            .Text($"Server selection started for {OperationText(operation, operationId)}. Selector: {selector}, topology description: {description}"));
    }

    public void SelectionSucceeded(string selector, string? operation, long? operationId, TopologyDescription topology, MongoServerAddress selected)
    {
        if (!SelectionLogEnabled)
        {
            return;
        }

        string description = topology.ToString();
        Write(_selectionLog!, 1401, SelectionMessage("Server selection succeeded", selector, operation, operationId, description).Server(selected)
            .Text($"Server selection succeeded for {OperationText(operation, operationId)}. Selected server: {LogMessage.Endpoint(selected)}. Selector: {selector}, topology description: {description}"));
    }

    public void SelectionFailed(string selector, string? operation, long? operationId, TopologyDescription topology, Exception failure)
    {
        if (!SelectionLogEnabled)
        {
            return;
        }

        string description = topology.ToString();
        string described = Describe(failure);
        Write(_selectionLog!, 1402, SelectionMessage("Server selection failed", selector, operation, operationId, description).Add("failure", described)
            .Text($"Server selection failed for {OperationText(operation, operationId)}. Failure: {described}. Selector: {selector}, topology description: {description}"), failure);
    }

    public void SelectionWaiting(string selector, string? operation, long? operationId, TopologyDescription topology, TimeSpan? remaining)
    {
        if (_selectionLog is null || !_selectionLog.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string description = topology.ToString();
        long? remainingMs = remaining is { } r ? (long)r.TotalMilliseconds : null;
        Write(_selectionLog, 1403, SelectionMessage("Waiting for suitable server to become available", selector, operation, operationId, description).Add("remainingTimeMS", remainingMs)
            .Text($"Waiting for server to become available for {OperationText(operation, operationId)}. Remaining time: {(remainingMs is { } ms ? ms + " ms" : "unlimited")}. Selector: {selector}, topology description: {description}."), level: LogLevel.Information);
    }

    /// <summary>"operation find with ID 7", or as much of it as is known: an internal selection has neither.</summary>
    private static string OperationText(string? operation, long? operationId) =>
        (operation is null ? "an operation" : "operation " + operation) + (operationId is { } id ? " with ID " + id : "");

    private static LogMessage SelectionMessage(string message, string selector, string? operation, long? operationId, string topology) =>
        new LogMessage(message).Add("selector", selector).Add("operationId", operationId).Add("operation", operation).Add("topologyDescription", topology);
}
