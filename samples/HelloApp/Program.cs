Console.WriteLine($"Hello from an artifact pulled by digest ({typeof(Program).Assembly.GetName().Version}).");
