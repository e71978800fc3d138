#!/usr/bin/python3
"""PyTorch CPU reference for the training throughput of each starting network (bench/trainNetworks.ts).

Each network is the same model as our template of that name (layer sizes, 'same'/'valid' padding,
activations, dropout, zero initial recurrent state, loss, Adam 1e-3, batch size), trained on
synthetic data of the template's input shape. Prints one JSON line:
  {"framework": "pytorch", "net": ..., "samples_per_s": ..., "train_s": ..., "n": ..., "threads": ...}

Setup on Debian: apt-get install -y python3-torch libopenblas0-pthread; run with /usr/bin/python3:
  /usr/bin/python3 bench/torch_networks_reference.py --net text_cnn_lstm [--n 640] [--threads 2]
"""
import argparse, json, time

import numpy as np
import torch
import torch.nn as nn


class LastStep(nn.Module):
    """LSTM over [batch, time, features] returning the last step's output (Keras returnSequences=false)."""

    def __init__(self, features, units):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)

    def forward(self, x):
        out, _ = self.lstm(x)  # zero initial state, as Keras
        return out[:, -1, :]


class Transpose(nn.Module):
    """[batch, time, channels] <-> [batch, channels, time] (Keras Conv1D is channels-last)."""

    def forward(self, x):
        return x.transpose(1, 2)


class ResnetBlock(nn.Module):
    """Our resnet_block template: stem conv, two convs added back onto the stem, relu, global average pool, dense."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1)
        self.c1 = nn.Conv2d(32, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 32, 3, padding=1)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        s = torch.relu(self.stem(x))
        y = self.c2(torch.relu(self.c1(s)))
        y = torch.relu(s + y)
        return self.out(y.mean((2, 3)))


def network(name):
    """(model, input maker, target maker, loss, batch) per template name; softmax is folded into CrossEntropyLoss."""
    if name == 'and_xor_mlp':
        m = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1), nn.Sigmoid())
        return m, lambda rng, n: rng.integers(0, 2, (n, 2)).astype(np.float32), 'binary', nn.BCELoss(), 4
    if name == 'spam_mlp':
        m = nn.Sequential(nn.Linear(57, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 1), nn.Sigmoid())
        return m, lambda rng, n: rng.standard_normal((n, 57)).astype(np.float32), 'binary', nn.BCELoss(), 64
    if name == 'mnist_cnn':
        m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 128), nn.ReLU(), nn.Linear(128, 10))
        return m, lambda rng, n: rng.random((n, 1, 28, 28), dtype=np.float32), 10, nn.CrossEntropyLoss(), 64
    if name == 'cifar10_cnn':
        m = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(128 * 8 * 8, 512), nn.ReLU(), nn.Linear(512, 10))
        return m, lambda rng, n: rng.random((n, 3, 32, 32), dtype=np.float32), 10, nn.CrossEntropyLoss(), 64
    if name == 'text_cnn_lstm':
        m = nn.Sequential(nn.Embedding(10000, 64), Transpose(), nn.Conv1d(64, 32, 7), nn.ReLU(), nn.MaxPool1d(5), Transpose(), LastStep(32, 50), nn.Linear(50, 2))
        return m, lambda rng, n: rng.integers(0, 10000, (n, 200)).astype(np.int64), 2, nn.CrossEntropyLoss(), 32
    if name == 'resnet_block':
        return ResnetBlock(), lambda rng, n: rng.random((n, 3, 32, 32), dtype=np.float32), 10, nn.CrossEntropyLoss(), 64
    raise SystemExit(f'unknown network {name}')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--net', required=True)
    p.add_argument('--n', type=int, default=640)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch', type=int, default=0, help='default: the network\'s batch size')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model, make_x, classes, loss_fn, batch = network(a.net)
    batch = a.batch or batch
    rng = np.random.default_rng(0)
    x = torch.from_numpy(make_x(rng, a.n))
    if classes == 'binary':
        y = torch.from_numpy(rng.integers(0, 2, (a.n, 1)).astype(np.float32))
    else:
        y = torch.from_numpy(rng.integers(0, classes, a.n).astype(np.int64))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()

    def step(xb, yb):
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()  # a per-step read, as our loop reads each batch's loss

    for _ in range(2):  # warm-up, not timed
        step(x[:batch], y[:batch])
    perm = torch.randperm(a.n)
    t0 = time.perf_counter()
    steps = 0
    for i in range(0, a.n - batch + 1, batch):
        b = perm[i:i + batch]
        step(x[b], y[b])
        steps += 1
    dt = time.perf_counter() - t0
    print(json.dumps({'framework': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(), 'net': a.net,
                      'n': steps * batch, 'batch': batch, 'train_s': round(dt, 3), 'samples_per_s': round(steps * batch / dt, 1)}))


if __name__ == '__main__':
    main()
