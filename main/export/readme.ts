// The README.txt written beside an export: how to load the TF.js files and the ONNX file.
import type { ValueSpecSummary } from './onnx/describe'

/** What the README needs to know about the export. */
export interface ExportReadmeInput {
  runName: string
  epoch: number
  /** null when no ONNX file was written. */
  onnx: { file: string; opset: number; inputs: ValueSpecSummary[]; outputs: ValueSpecSummary[] } | null
  files: { model: string; weights: string; recipe: string; classes: string | null }
}

const shapeText = (s: (number | string)[]): string => `[${s.join(', ')}]`

/** The README.txt text. */
export function exportReadme(r: ExportReadmeInput): string {
  const lines = [
    `Model exported by Neural Workbench: run "${r.runName}", checkpoint of epoch ${r.epoch}.`,
    '',
    'Preparing inputs',
    `  ${r.files.recipe} says how samples were prepared for training (the same recipe must be applied before predicting).`,
    ...(r.files.classes ? [`  ${r.files.classes} lists the class names in output order.`] : []),
    '  Images are channels-last (height, width, channels), as in TF.js; both formats take the same arrays.',
    '',
    'TF.js Layers (JavaScript)',
    `  Files: ${r.files.model} + ${r.files.weights}`,
    `  Browser: const model = await tf.loadLayersModel('https://your.host/path/${r.files.model}')`,
    `  Node:    const model = await tf.loadLayersModel('file:///full/path/${r.files.model}')  (with @tensorflow/tfjs-node)`,
    '  Predict: model.predict(tf.tensor(batch))',
  ]
  if (r.onnx) {
    lines.push(
      '',
      `ONNX (opset ${r.onnx.opset})`,
      `  File: ${r.onnx.file} (ONNX opset ${r.onnx.opset}, default domain; the first dimension "batch" takes any batch size)`,
      ...r.onnx.inputs.map((i) => `  Input  "${i.name}": ${i.type} ${shapeText(i.shape)}`),
      ...r.onnx.outputs.map((o) => `  Output "${o.name}": ${o.type} ${shapeText(o.shape)}`),
      '  Python:  import onnxruntime as ort; s = ort.InferenceSession("' + r.onnx.file + '"); s.run(None, {"' + (r.onnx.inputs[0]?.name ?? 'input') + '": batch})',
      `  Node:    const s = await ort.InferenceSession.create('${r.onnx.file}'); await s.run({ ${r.onnx.inputs[0]?.name ?? 'input'}: new ort.Tensor('float32', data, dims) })`,
      '  The recipe and class names are also inside the file (metadata_props "preprocessing" and "classes").',
    )
  }
  return lines.join('\n') + '\n'
}
