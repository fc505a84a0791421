import Foundation

/// A logistic regression over named chain features, on standardized inputs:
/// P(correct) = σ(bias + Σ weightᵢ · (xᵢ − meanᵢ) / scaleᵢ). Fitted by Newton's method with an
/// L2 penalty on the weights (not the bias); small and exact enough for a dozen features.
public struct LogisticModel: Sendable, Hashable, Codable {
    /// The features, in the order of the other arrays.
    public var features: [ChainFeature]
    /// Each feature's training mean.
    public var means: [Double]
    /// Each feature's training standard deviation (1 where it was 0).
    public var scales: [Double]
    /// Each standardized feature's weight.
    public var weights: [Double]
    /// The intercept.
    public var bias: Double

    /// Creates a model from stored parts.
    public init(features: [ChainFeature], means: [Double], scales: [Double], weights: [Double], bias: Double) {
        self.features = features
        self.means = means
        self.scales = scales
        self.weights = weights
        self.bias = bias
    }

    /// Whether the arrays agree in length and every number is finite.
    public var isWellFormed: Bool {
        let n = features.count
        guard means.count == n, scales.count == n, weights.count == n, bias.isFinite else { return false }
        return (means + scales + weights).allSatisfy(\.isFinite) && scales.allSatisfy { $0 > 0 }
    }

    /// P(correct) for one row of features (a missing feature counts as its mean).
    public func probability(_ row: [ChainFeature: Double]) -> Double {
        var z = bias
        for index in features.indices {
            let value = row[features[index]] ?? means[index]
            z += weights[index] * (value - means[index]) / scales[index]
        }
        return Self.sigmoid(z)
    }

    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// Fits `features` to `rows` labelled `labels` (true = correct).
    /// - Parameters:
    ///   - l2: the penalty on the standardized weights (λ/2 · Σw²), per row.
    ///   - weights: per-row weights (default 1 each).
    /// - Returns: nil when there are no rows, or the labels are all one class.
    public static func fit(features: [ChainFeature], rows: [[ChainFeature: Double]], labels: [Bool],
                           l2: Double = 1e-3, rowWeights: [Double]? = nil, iterations: Int = 100) -> LogisticModel? {
        let count = rows.count
        guard count > 0, labels.count == count, labels.contains(true), labels.contains(false) else { return nil }
        let weightsOfRows = rowWeights ?? Array(repeating: 1, count: count)
        let total = weightsOfRows.reduce(0, +)
        let n = features.count
        var means = Array(repeating: 0.0, count: n)
        var scales = Array(repeating: 1.0, count: n)
        var x = rows.map { row in features.map { row[$0] ?? 0 } }
        for j in 0..<n {
            let mean = zip(x, weightsOfRows).reduce(0) { $0 + $1.0[j] * $1.1 } / total
            let variance = zip(x, weightsOfRows).reduce(0) { $0 + ($1.0[j] - mean) * ($1.0[j] - mean) * $1.1 } / total
            means[j] = mean
            scales[j] = variance > 1e-12 ? variance.squareRoot() : 1
        }
        for i in 0..<count { for j in 0..<n { x[i][j] = (x[i][j] - means[j]) / scales[j] } }
        // Parameters: θ[0] is the bias, θ[1...n] the weights.
        var theta = Array(repeating: 0.0, count: n + 1)
        let penalty = l2 * total
        for _ in 0..<iterations {
            var gradient = Array(repeating: 0.0, count: n + 1)
            var hessian = Array(repeating: Array(repeating: 0.0, count: n + 1), count: n + 1)
            for i in 0..<count {
                var z = theta[0]
                for j in 0..<n { z += theta[j + 1] * x[i][j] }
                let p = sigmoid(z)
                let w = weightsOfRows[i]
                let residual = (labels[i] ? 1 : 0) - p
                let curvature = max(p * (1 - p), 1e-10) * w
                let input = [1.0] + x[i]
                for a in 0...n {
                    gradient[a] += w * residual * input[a]
                    for b in a...n { hessian[a][b] += curvature * input[a] * input[b] }
                }
            }
            for a in 1...max(n, 1) where a <= n {
                gradient[a] -= penalty * theta[a]
                hessian[a][a] += penalty
            }
            for a in 0...n { for b in 0..<a { hessian[a][b] = hessian[b][a] } }
            guard let step = solve(hessian, gradient) else { break }
            var largest = 0.0
            for a in 0...n {
                theta[a] += step[a]
                largest = max(largest, abs(step[a]))
            }
            if largest < 1e-9 { break }
        }
        let model = LogisticModel(features: features, means: means, scales: scales, weights: Array(theta.dropFirst()), bias: theta[0])
        return model.isWellFormed ? model : nil
    }

    /// Solves `matrix · x = vector` by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        var a = matrix
        var b = vector
        let n = b.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }), abs(a[pivot][column]) > 1e-14 else {
                return nil
            }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n where row < n {
                let factor = a[row][column] / a[column][column]
                guard factor != 0 else { continue }
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = Array(repeating: 0.0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n where k < n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }
}
