// ONNX export: graph + trained weights → ONNX ModelProto bytes (opset 13).
export { ONNX_IR_VERSION, ONNX_OPSET, type WeightTensor } from './builder'
export { OnnxUnsupportedError, toOnnx, type ToOnnxOptions } from './toOnnx'
export { tfjsWeightsOf } from './tfjsWeights'
export { describeOnnx, type ValueSpecSummary } from './describe'
