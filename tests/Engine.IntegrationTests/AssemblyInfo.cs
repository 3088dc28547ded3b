using Xunit;

// Each test runs a whole engine with its namespaces; on a 2-core machine one at a time is faster and clearer.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
