Console.WriteLine("Benchmarks: not implemented yet.");
