namespace Mongo.InMemory;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("Mongo.InMemory: server not implemented yet.");
        return args.Length == 0 ? 1 : 1;
    }
}
