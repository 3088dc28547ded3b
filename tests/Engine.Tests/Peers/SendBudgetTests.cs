using Engine.Actors.Buffers;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>What of the shared pool a peer's send queue may hold: SendBudget's rule.</summary>
public sealed class SendBudgetTests
{
    // 128 batches of 64 buffers of 64 KiB: 512 MiB, as a lab with offloads has.
    private static readonly FrameBatchPool Pool = new(64, 65_536, maxBatches: 128);

    [Theory]
    [InlineData(1, 64)]
    [InlineData(2, 32)]
    [InlineData(8, 8)]
    public void The_peers_together_hold_at_most_half_the_pool_split_evenly(int peers, int batchesEach) =>
        Assert.Equal(batchesEach * Pool.BatchBytes, SendBudget.Bytes(Spec(sendQueue: 1_000_000), Pool, peers));

    [Fact]
    public void Send_queue_counts_buffers_when_it_is_the_smaller_bound() =>
        Assert.Equal(256L * 65_536, SendBudget.Bytes(Spec(sendQueue: 256), Pool, peerCount: 1));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1_000_000, 1000)]
    public void A_queue_may_always_hold_one_batch(int sendQueue, int peers) =>
        Assert.Equal(Pool.BatchBytes, SendBudget.Bytes(Spec(sendQueue), Pool, peers));

    private static PeerSpec Spec(int sendQueue) =>
        PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5555),
            sendQueue: sendQueue);
}
