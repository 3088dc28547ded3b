namespace Engine.Actors.Counters;

/// <summary>A port's packets, bytes and drops per second over one counter interval (<see cref="PortTotals.RatesSince"/>).</summary>
public readonly record struct PortRates(double RxPackets, double RxBytes, double TxPackets, double TxBytes, double Drops);
