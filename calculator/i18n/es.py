"""Español: los mismos textos que en.py, clave por clave (tests/test_i18n.py comprueba que no falta ninguna).

Números según la convención española (RAE, Ortografía 2010): coma decimal, espacio de no separación entre grupos de
tres cifras a partir de cinco cifras ("6000", "123 587 328"), espacio antes de "%", y "mil M" para 10^9 (el billón
español es 10^12). Los nombres de configuración de nanoGPT, el código y las líneas de log se dejan como están.
"""

NUMBERS = {"decimal": ",", "group": "\u00a0", "group_min": 4, "percent": "\u00a0%", "times": "×",
           "suffixes": ("\u00a0B", "\u00a0mil\u00a0M", "\u00a0M", "\u00a0k")}

TEXTS = {
    # -- fmt.py --
    "fmt.n_a": "n/d",
    "fmt.none": "ninguno",
    "fmt.years": "años",
    "fmt.money": "{n}\u00a0US$",
    "fmt.gpu_hour": "hora-GPU",
    "fmt.gpu_hours": "horas-GPU",
    # -- palabras que el resultado da como valores --
    "memory_verdict.fits": "cabe",
    "memory_verdict.tight": "justo",
    "memory_verdict.does not fit": "no cabe",
    "bound.host (launch/Python overhead)": "el host (lanzamiento de kernels y Python)",
    "bound.memory bandwidth": "el ancho de banda de memoria",
    "bound.tensor-core math": "el cálculo en los tensor cores",
    "mfu_source.model": "modelo",
    "mfu_source.given": "indicado",
    "mfu_source.observed": "observado",
    "peak_label.BF16 tensor (FP32 accumulate)": "tensor BF16 (acumulación FP32)",
    "peak_label.FP16 tensor (FP32 accumulate)": "tensor FP16 (acumulación FP32)",
    "peak_label.TF32 tensor": "tensor TF32",
    "peak_label.FP32 (no TF32 tensor cores)": "FP32 (sin tensor cores TF32)",
    "peak_label.custom peak (given by the user)": "pico propio (indicado por el usuario)",
    "compare.emulated": "{ms} (bf16 emulado; float16: {fp16})",
    # -- estimate.py --
    "peak_label.BF16 emulated (FP32 units)": "BF16 emulado (unidades FP32)",
    "peak_label.FP32 (Apple GPU)": "FP32 (GPU de Apple)",
    "peak_label.FP32 (CPU cores)": "FP32 (núcleos de CPU)",
    "dtype.bfloat16": "bfloat16",
    "dtype.float16": "float16",
    "dtype.float32": "float32",
    "dtype.float8": "float8",
    "device.mps_needs_apple": "device=mps se ejecuta en la GPU de un chip de Apple, no en la {gpu}: pon el chip en "
                              "gpu (por ejemplo Apple M3 Max, Apple M4).",
    "device.apple_needs_mps": "el {gpu} es un chip de Apple: pon device en mps (su GPU) o cpu (sus núcleos de CPU).",
    "warn.device_float32": "nanoGPT se ejecuta en float32 en {device}, diga lo que diga dtype ({dtype}): su contexto "
                           "de autocast solo se usa en CUDA. La estimación es para float32.",
    "warn.mps_compile": "torch.compile en mps fue más lento que el modo eager en las ejecuciones públicas, y el README "
                        "de nanoGPT usa mps con --compile=False: la estimación es para el modo eager.",
    "warn.bf16_emulated": "La {gpu} no tiene tensor cores BF16, pero torch.cuda.is_bf16_supported() dice que sí "
                          "(PyTorch 2.3 y posteriores emulan bf16 en las unidades FP32), así que el dtype por defecto "
                          "de nanoGPT elige bfloat16 aquí: como mucho al ritmo FP32, {times} el tiempo de float16 "
                          "({fp16}). Pon dtype=float16.",
    "field.torch_version.label": "PyTorch",
    "field.torch_version.help": "La versión de PyTorch (mayor.menor). Antes de 2.2, el kernel flash de SDPA era "
                                "FlashAttention 1; 2.0 y 2.1 compilan con un Inductor más joven.",
    "warn.no_fit_static": "No cabe en memoria, y ningún tamaño de lote lo arregla: solo los pesos en fp32, los "
                          "gradientes y los dos momentos de AdamW ocupan {static} (16 bytes por parámetro) en una "
                          "tarjeta de {capacity}. Hace falta una tarjeta con más memoria, más GPU con el estado "
                          "repartido (sharding=fsdp, zero1 o zero2: no el DDP de nanoGPT), paralelismo tensorial o "
                          "de pipeline, o un modelo más pequeño.",
    "warn.no_fit": "No cabe en memoria: hacen falta unos {need} en una tarjeta de {capacity}, de los que las "
                   "activaciones de un micro-lote son {activations}. Baja batch_size (y sube "
                   "gradient_accumulation_steps para mantener los tokens por iteración).",
    "warn.fit_with": "Cabría con {fixes}.",
    "warn.fit_none": "Ni sharding=fsdp, ni el checkpointing completo de activaciones, ni el paralelismo tensorial "
                     "dentro de un nodo, ni un micro-lote de uno hacen que quepa: hacen falta más GPU, tarjetas más "
                     "grandes o un modelo más pequeño.",
    "bound.communication": "comunicación",
    "error.no_fp8": "float8 necesita tensor cores FP8 ({archs}); la {gpu} no los tiene: usa bfloat16",
    "warn.gas_rounded": "gradient_accumulation_steps tiene el valor por defecto, {gas}, que los {dp} rangos de "
                        "paralelismo de datos no dividen (nanoGPT se pararía): la estimación hace {total} "
                        "micro-pasos en total, {micro} en cada rango. Da gradient_accumulation_steps para elegir el "
                        "lote.",
    "warn.tight": "La memoria va justa: unos {need} de {capacity}; otro proceso en la GPU podría dejarla sin "
                  "memoria.",
    "warn.ddp_slower": "Con más GPU este paso es más lento: el all-reduce de los gradientes ({allreduce} por "
                       "iteración) cuesta más que los micro-pasos que ahorra; una sola GPU tardaría {one}.",
    "warn.unverified": "Algunas cifras de la {gpu} no están verificadas ({what}).",
    # -- feasibility.py --
    "verdict.impossible": "imposible",
    "verdict.implausible": "inverosímil",
    "verdict.optimistic": "optimista",
    "verdict.as expected": "lo esperado",
    "verdict.slow": "lento",
    "verdict.what": "{ms} supone {tflops} por GPU, un MFU del {mfu} en la {gpu} (pico de {peak})",
    "verdict.what_printed": "el mfu {printed} que imprime nanoGPT es respecto a los 312 TFLOPS de una A100: "
                            "{tflops}, un MFU real del {mfu} en la {gpu}",
    "verdict.impossible_message": "Imposible: {what}. Es {times} el pico de la tarjeta; el modelo espera {model}, "
                                  "así que la afirmación es {faster} demasiado rápida.",
    "verdict.implausible_message": "Inverosímil: {what}, por encima del {cap} que alcanza una multiplicación de "
                                   "matrices grande y aislada; ningún paso de entrenamiento real llega ahí. El "
                                   "modelo espera {model}.",
    "verdict.optimistic_message": "Más rápido de lo esperado, pero posible: {what}; el modelo espera {model} "
                                  "(MFU del {low} al {high}).",
    "verdict.as_expected_message": "Lo esperado: {what}; el modelo espera {model}.",
    "verdict.slow_message": "Más lento de lo esperado: {what}; el modelo espera {model}, así que esta ejecución es "
                            "un {slower} más lenta. Causas probables: {causes}.",
    "slow.shared": "la GPU está compartida o limitada por temperatura o potencia",
    "slow.loader": "el cargador de datos o la CPU no dan abasto (mira el uso de la GPU en nvidia-smi)",
    "slow.compile": "torch.compile está desactivado o recompilando (busca avisos de recompilación)",
    "slow.dtype": "un dtype más lento de lo que crees (float32, o bfloat16 emulado en una GPU sin tensor cores BF16)",
    "slow.batch": "un batch_size demasiado pequeño para llenar la GPU",
    # -- cost.py --
    "cost.no_price": "sin precio público de alquiler",
    "cost.your_price": "tu precio",
    "cost.enter_price": "introduce un precio por hora-GPU para calcular el coste",
    "cost.board_power": " (potencia de la tarjeta)",
    "cost.unknown_draw": "consumo desconocido: introduce power_watts",
    "cost.unknown_energy": "desconocida: introduce power_watts",
    "cost.no_kwh_price": "sin precio de la electricidad",
    "cost.unknown": "desconocido",
    "cost.not_given": "no indicado",
    # -- rent.py --
    "rent.a": "una {name}",
    "rent.an": "una {name}",
    "rent.time_cost": "{time} por unos {cost}",
    "rent.and": " y ",
    "rent.mark.fastest": "la más rápida",
    "rent.mark.cheapest": "la más barata",
    "rent.own": "tu {cards} tarda {time}",
    "rent.energy": "unos {kwh}",
    "rent.energy_priced": "{energy} ({cost} de electricidad a {price})",
    "rent.own_energy": "{own} y consume {energy}",
    "rent.none_fits": "Ninguna tarjeta con precio publicado cabe esta ejecución; {own}.",
    "rent.yours_fastest": "Tu {cards} es la tarjeta más rápida de la lista: {time_cost} alquilada.",
    "rent.yours_fastest_energy": "Tu {cards} es la tarjeta más rápida de la lista: {time_cost} alquilada, y "
                                 "{energy} en la tuya.",
    "rent.renting": "Alquilando {many} terminarías en {time_cost}; {own}.",
    "rent.renting_cheapest": "{renting} La tarjeta con precio publicado más barata para esta ejecución es la "
                             "{card}: {time_cost}.",
    "rent.deadline_pick": "La tarjeta con precio publicado más barata que termina en menos de {wanted} es la {card}: "
                          "{time_cost}.",
    "rent.deadline_none": "Ninguna tarjeta de la lista termina en menos de {wanted}; la más rápida, la {card}, tarda "
                          "{time}.",
    "rent.deadline_nothing": "Ninguna tarjeta con precio publicado cabe esta ejecución, así que ninguna termina en "
                             "menos de {wanted}.",
    "rent.budget_pick": "La tarjeta más rápida de la lista por menos de {wanted} es la {card}: {time_cost}.",
    "rent.budget_none": "Ninguna tarjeta de la lista termina esta ejecución por {wanted} o menos; la más barata, la "
                        "{card}, cuesta unos {cost}.",
    "rent.budget_nothing": "Ninguna tarjeta con precio publicado cabe esta ejecución, así que ninguna la termina por "
                           "{wanted}.",
    "rent.costs_more": "cuesta más",
    "rent.costs_less": "cuesta menos",
    "rent.costs_same": "cuesta lo mismo",
    "rent.multi": "En {n} × {name} la misma ejecución tarda {many_total} por unos {many_cost}, frente a "
                  "{one_total} por unos {one_cost} en una sola: {speedup} más rápida, y {verdict} ({ratio} el "
                  "coste).",
    "rent.multi_why": "En {n} × {name} la misma ejecución tarda {many_total} por unos {many_cost}, frente a "
                      "{one_total} por unos {one_cost} en una sola: {speedup} más rápida, y {verdict} ({ratio} el "
                      "coste), porque el all-reduce de los gradientes y el calentamiento se pagan en cada GPU.",
    "rent.multi_cannot": "{n} × {name} no puede hacer la misma ejecución: {reason}.",
    "rent.no_split": "gradient_accumulation_steps ({gas}) no es múltiplo de {n}, así que nanoGPT no puede "
                     "repartirlo entre {n} GPU",
    "rent.prices": "Los precios son tarifas públicas bajo demanda por hora-GPU, consultadas entre {oldest} y "
                   "{newest}; cambian, así que revisa la página del proveedor o introduce tu propio precio.",
    # -- loganalysis.py --
    "rent.table.total": "tiempo total",
    "rent.table.cost": "coste",
    "rent.table.per_hour": "precio/hora",
    "rent.table.memory": "memoria",
    "rent.table.source": "precio de",
    "rent.table.cannot": "no puede ejecutarse",
    "rent.table.note": "* tu GPU. Coste = tiempo total x num_gpus x precio por hora-GPU; '-': sin precio público de "
                       "alquiler.",
    "log.format.mixed": "varios formatos",
    "log.format.unknown": "ningún formato conocido",
    "log.spread": "de {low} a {high}",
    "log.all_excluded": "Los {n} tiempos de iteración encontrados quedaron fuera del régimen estable (arranque, "
                        "calentamiento, evaluaciones): pega más líneas de una parte posterior de la ejecución.",
    "log.all_excluded_one": "El único tiempo de iteración encontrado quedó fuera del régimen estable (arranque, "
                            "calentamiento, evaluaciones): pega más líneas de una parte posterior de la ejecución.",
    "log.read_as": "Leído como {format}: {why}",
    "log.read_as_then": "Leído como {format}: {why} {then}",
    "log.known_format": "- {title}: {example}",
    "log.known_formats": "No se han encontrado tiempos de iteración en el texto pegado. Los formatos que se leen, "
                         "con una línea de ejemplo de cada uno:\n{formats}",
    # -- cómo se leyó un log --
    "log.why": "{parts}.",
    "log.why.lines": "{n} líneas de {title} ({semantics})",
    "log.why.line": "1 línea de {title} ({semantics})",
    "log.why.with_note": "{part}; {note}",
    "log.why.no_time": "se encontraron líneas de {title}, pero ninguna con un tiempo por paso.",
    "log.why.no_time_note": "se encontraron líneas de {title}, pero ninguna con un tiempo por paso: {note}.",
    "lognote.hf_summary": "tiempo por paso = train_runtime ÷ los pasos del optimizador de la ejecución (una media de "
                          "toda la ejecución)",
    "lognote.modded_val_only": "solo líneas de validación: una cifra por cada intervalo entre ellas (diferencia del "
                               "train_time acumulado entre la diferencia de pasos)",
    "lognote.deepspeed_samples": "tiempo por paso = train_batch_size ÷ CurrSamplesPerSec",
    "lognote.keras_val": "las épocas que imprimen val_loss incluyen su validación en el tiempo de la época",
    "lognote.fairseq_epochs": "solo resúmenes de época: cada uno es la media de las actualizaciones de su época",
    "lognote.bar_elapsed": "pasos {first}-{last}: el ritmo ({rate} s/it) queda fuera de lo que permite la columna de "
                           "tiempo transcurrido ({low}-{high} s/it): se usa la pendiente de esa columna",
    "lognote.rank_copies": "cada paso se imprimió {n} veces (una por rank): cada uno cuenta una vez",
    "lognote.deepspeed_needs_batch": "muestras/s sin el tamaño de lote global: el tiempo por paso es "
                                     "train_batch_size ÷ CurrSamplesPerSec; pega con el log el volcado de "
                                     "configuración de DeepSpeed (train_batch_size ….. N) o la línea de lanzamiento "
                                     "(--train_batch_size N)",
    "lognote.keras_no_steps": "líneas de época sin sus pasos (Keras 2.2 verbose=2): el tiempo de una época no se "
                              "puede dividir en pasos; usa verbose=1 o 2 de un Keras posterior",
    "lognote.timestamps": "tiempo por paso a partir de las marcas de tiempo entre líneas de paso consecutivas",
    "lognote.torchtitan_tps": "tiempo por paso = tokens por paso (tamaño de lote local × longitud de secuencia, tal "
                              "como se imprimen) ÷ tps",
    "lognote.torchtitan_tps_mesh": "tiempo por paso = tokens por paso (tamaño de lote local × longitud de secuencia, "
                                   "tal como se imprime) ÷ (tps × las {n} GPU que reparten una copia del modelo: tp × "
                                   "pp × cp de la malla de dispositivos)",
    "lognote.torchtitan_no_time": "sin marcas de tiempo ni línea 'local batch size … sequence length': no se puede "
                                  "obtener el tiempo por paso",
    "log.report.head": "Log: {format}, {seen} iteraciones vistas, {skipped} líneas no reconocidas (omitidas), "
                       "{excluded} iteraciones excluidas del régimen estable.",
    "log.report.read_as": "  leído como: {why}",
    "log.report.line": "línea {n}",
    "log.report.more": "{shown} ...",
    "log.report.excluded": "  excluidas {n} ({shown}): {reason}",
    "log.report.steady": "Velocidad estable: {ms} (mediana de {kept}; dispersión {spread}), {rate}.",
    "log.report.micro": "El log cuenta micro-pasos, {micro} por paso del optimizador; un paso del optimizador: "
                        "{step} (lo usan los tokens por segundo, el MFU y el tiempo restante).",
    "log.report.true_mfu": "MFU real en la {gpu}: {mfu} (pico de {peak}).",
    "log.report.printed": "nanoGPT imprimió mfu {printed}, respecto a los 312 TFLOPS de una A100: es el {true} del "
                          "pico de tu GPU.",
    "log.report.eta": "Tiempo restante: {eta} desde la iteración {start} hasta max_iters={max_iters} ({steps} pasos, "
                      "{evals} evaluaciones).",
    "log.report.runs": "El texto pegado contiene {n} ejecuciones de entrenamiento: se informa de la última, {run}.",
    "log.report.other_runs": "  antes: {runs}",
    "log.run": "ejecución {k} (líneas {first}-{last})",
    "log.run_steady": "{run} a {ms}",
    "log.report.rank_copies": "Cada paso se imprimió {n} veces (una por proceso): cada uno se cuenta una vez.",
    "log.report.stated_tokens": "El log indica {tokens} tokens por paso del optimizador: a su velocidad, {rate}.",
    "log.report.stated_mfu": "MFU a partir de lo que indica el log ({basis}) en {gpus} × {gpu}: {mfu}.",
    "log.report.run": "El análisis usa {run}.",
    "log.report.run_unused": "El escenario sigue siendo el del formulario: {run}.",
    "log.run_parts": "{parts}",
    "log.run_used": "la ejecución del log: {items}",
    "log.run_gpus": "{n} GPU",
    "log.run_gpus_one": "{n} GPU",
    "log.run_tp": "paralelismo de tensores de {n}",
    "log.run_pp": "{n} etapas de pipeline",
    "log.run_cp": "paralelismo de contexto de {n}",
    "log.run_seq": "secuencia de {n}",
    "log.run_tokens": "{tokens} tokens por paso (batch_size {batch} × gradient_accumulation_steps {gas} × block_size "
                      "{block})",
    "log.run_instead": "{item} en lugar de {was} del escenario",
    "log.run_rejected": "no se usa {item} del log ({field}: {error}); se mantiene el valor del escenario",
    "log.run_not_whole": "no se usan los {tokens} tokens por paso del log: no son un número entero de secuencias de "
                         "{block}",
    "log.run_micro_divides": "no se usa el micro-lote de {micro} del log: no divide las {sequences} secuencias de un "
                             "paso (1 por micro-paso en su lugar)",
    "log.report.flops": "  {model} (6 × los parámetros de los productos de matrices + 12·L·H·Q·T de la atención "
                        "completa; un embedding de entrada no atado es una consulta en una tabla, no se cuenta).",
    "log.arch": "{model_type}, {n_layer} capas, ancho {n_embd}, {n_head} cabezas ({n_kv_head} de clave/valor), MLP "
                "{ffn}, vocabulario {vocab}, secuencia {block}: {params} parámetros",
    "log.flops_log": "FLOP contados para el modelo que indica el log ({model}): {flops} por token",
    "log.flops_form": "FLOP contados para el modelo del escenario ({model}): {flops} por token",
    "log.shape_rejected": "el modelo que indica el log no se puede usar ({field}: {error})",
    "log.flops_rejected": "{rejected}; {then}",
    "log.stated_basis_shape": "el modelo que indica, {flops} por token",
    "log.stated_basis_params": "{params} parámetros, 6 FLOP por parámetro y token",
    # -- logparse.py: por qué una iteración queda fuera del régimen estable --
    "reason.iteration 0: torch.compile, CUDA start-up and the step-0 eval":
        "iteración 0: torch.compile, arranque de CUDA y la evaluación del paso 0",
    "reason.warm-up (nanoGPT prints mfu -100% for these)": "calentamiento (nanoGPT imprime mfu -100% en estas)",
    "reason.warm-up (a progress bar's first updates, before its rate settles)":
        "calentamiento (las primeras actualizaciones de una barra de progreso, antes de que su ritmo se estabilice)",
    "reason.warm-up (the first steps of a run: allocator growth, autotuning, recompiles)":
        "calentamiento (los primeros pasos de una ejecución: el asignador de memoria crece, autoajuste, "
        "recompilaciones)",
    "reason.every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step":
        "se omitieron todas las iteraciones de este intervalo (ajuste de la escala de pérdida fp16): ningún paso del "
        "optimizador",
    "reason.evaluation/checkpoint timed inside this iteration":
        "evaluación o checkpoint cronometrado dentro de esta iteración",
    "reason.earlier running average: only the later half of the progress-bar rates is used":
        "media móvil anterior: solo se usa la segunda mitad de las velocidades de la barra de progreso",
    "reason.whole-run average (includes warm-up and evaluation)":
        "media de toda la ejecución (incluye calentamiento y evaluación)",
    "reason.spike (> 3x the median): eval, checkpoint, data loading or another process":
        "pico (> 3× la mediana): evaluación, checkpoint, carga de datos u otro proceso",
    "reason.an earlier run in the same paste (the last run is the one reported)":
        "una ejecución anterior en el mismo texto pegado (se informa de la última)",
    # -- schema.py: los grupos, y la etiqueta y la ayuda de cada campo --
    "group.model": "Modelo",
    "group.batch": "Lote",
    "group.run": "Ejecución",
    "group.hardware": "Hardware",
    "group.check": "Comprobar una afirmación",
    "group.cost": "Coste",
    "field.n_layer.label": "Capas",
    "field.n_layer.help": "Bloques transformer (n_layer).",
    "field.n_head.label": "Cabezas",
    "field.n_head.help": "Cabezas de atención por bloque; deben dividir a n_embd.",
    "field.n_embd.label": "Ancho del embedding",
    "field.n_embd.help": "Ancho del modelo (n_embd).",
    "field.vocab_size.label": "Vocabulario",
    "field.vocab_size.help": "Tokens del vocabulario; nanoGPT rellena los 50257 de GPT-2 hasta 50304.",
    "field.block_size.label": "Longitud de contexto",
    "field.block_size.help": "Tokens por secuencia (block_size).",
    "field.bias.label": "Bias",
    "field.bias.help": "Sesgos en las capas Linear y LayerNorm (train.py de nanoGPT: False; solo model_type "
                       "gpt2: los otros tipos fijan sus propios sesgos).",
    "field.batch_size.label": "Micro-lote",
    "field.batch_size.help": "Secuencias por pasada forward/backward, por GPU.",
    "field.gradient_accumulation_steps.label": "Acumulación de gradientes",
    "field.gradient_accumulation_steps.help": "Micro-pasos por iteración, sumados entre todas las GPU (nanoGPT lo "
                                              "divide entre el número de GPU).",
    "field.max_iters.label": "Iteraciones",
    "field.max_iters.help": "max_iters: nanoGPT ejecuta max_iters + 1 pasos.",
    "field.eval_interval.label": "Evaluar cada",
    "field.eval_interval.help": "Una evaluación (y un checkpoint) cada tantas iteraciones, incluida la iteración 0.",
    "field.eval_iters.label": "Lotes de evaluación",
    "field.eval_iters.help": "Lotes por partición en cada evaluación (train y val).",
    "field.checkpoint_seconds.label": "Coste del checkpoint",
    "field.checkpoint_seconds.help": "Segundos para guardar un checkpoint en cada evaluación después de la iteración "
                                     "0 (0 para no contarlo).",
    "field.gpu.label": "GPU",
    "field.gpu.help": "Qué GPU (al lado se muestra el pico usado).",
    "field.num_gpus.label": "Número de GPU",
    "field.num_gpus.help": "Todas las GPU de la ejecución; num_gpus / (tensor_parallel x pipeline_parallel x "
                           "context_parallel) rangos de paralelismo de datos, que deben dividir a "
                           "gradient_accumulation_steps.",
    "field.dtype.label": "dtype",
    "field.dtype.help": "El dtype de nanoGPT. auto es la regla de nanoGPT: bfloat16 donde "
                        "torch.cuda.is_bf16_supported() dice que sí (tensor cores BF16; emulado en tarjetas NVIDIA "
                        "antiguas desde PyTorch 2.3), si no float16. float32 usa los tensor cores TF32 donde la GPU "
                        "los tiene (nanoGPT permite TF32). float8: las multiplicaciones en FP8 (Hopper, Ada, "
                        "Blackwell), el resto en bfloat16. mps y cpu se ejecutan en float32 diga lo que diga.",
    "field.compile.label": "torch.compile",
    "field.compile.help": "compile=True en nanoGPT.",
    "field.device.label": "Dispositivo",
    "field.device.help": "El --device de nanoGPT: cuda (una GPU NVIDIA o AMD), mps (la GPU de un chip de Apple: pon "
                         "el chip en gpu, p. ej. Apple M3 Max) o cpu (los núcleos de CPU de un chip de Apple, o una "
                         "CPU de sobremesa genérica).",
    "field.mfu.label": "MFU supuesto",
    "field.mfu.help": "Utilización de FLOPs del modelo como fracción (0.35 = 35 %); déjalo vacío para usar la "
                      "sugerencia del modelo.",
    "field.custom_tflops.label": "Pico propio",
    "field.custom_tflops.help": "Pico denso de los tensor cores para el dtype elegido, usado cuando gpu=custom.",
    "field.custom_memory_gb.label": "Memoria propia",
    "field.custom_memory_gb.help": "Memoria de la GPU, usada cuando gpu=custom.",
    "field.custom_bandwidth_gbs.label": "Ancho de banda propio",
    "field.custom_bandwidth_gbs.help": "Ancho de banda de memoria, usado cuando gpu=custom.",
    "field.observed_ms_per_iter.label": "ms/iter observados",
    "field.observed_ms_per_iter.help": "Un tiempo por iteración de un log o de una afirmación, en milisegundos.",
    "field.reported_mfu.label": "MFU impreso",
    "field.reported_mfu.help": "El mfu que imprimió nanoGPT, en porcentaje (es respecto a los 312 TFLOPS de una "
                               "A100).",
    "field.price_per_hour.label": "Precio por hora-GPU",
    "field.price_per_hour.help": "Lo que cuesta por hora una GPU del tipo elegido donde la alquilas; vacío para el "
                                 "precio bajo demanda publicado (mira la tabla de precios y sus fechas).",
    "field.power_watts.label": "Consumo",
    "field.power_watts.help": "El consumo medio de tu tarjeta mientras entrena, por GPU (nvidia-smi "
                              "--query-gpu=power.draw --format=csv); vacío para su potencia nominal.",
    "field.kwh_price.label": "Precio de la electricidad",
    "field.kwh_price.help": "Lo que pagas por kWh, para el coste de la energía que usa tu propia tarjeta; vacío para "
                            "mostrar solo la energía.",
    "field.deadline_hours.label": "Plazo",
    "field.deadline_hours.help": "Terminar en menos de tantas horas: la página nombra la tarjeta con precio más "
                                 "barata que lo consigue.",
    "field.budget_usd.label": "Presupuesto",
    "field.budget_usd.help": "Gastar como mucho esto: la página nombra la tarjeta con precio más rápida que entra en "
                             "él.",
    # -- cli.py --
    "cli.see_help": "(python -m calculator --help)",
    "cli.did_you_mean": "{arg}: ¿quizá {flags}?",
    "cli.help.description": "¿Cuánto tardará un entrenamiento al estilo de nanoGPT, y es normal lo que dice mi log?",
    "cli.help.epilog": "Las entradas usan los nombres de configuración de nanoGPT; --nombre=valor y --nombre valor "
                       "funcionan. Ejemplo: python -m calculator --gpu=rtx-4090 --batch_size=12 --n_layer=12 "
                       "--n_head=12 --n_embd=768",
    "cli.help.config": "archivos de configuración de nanoGPT (líneas nombre = valor) o config.json de Hugging Face "
                       "(los tamaños del modelo); se leen, nunca se ejecutan",
    "cli.help.field": "{help} [{range}; por defecto {default}]",
    "cli.help.output": "Salida",
    "cli.help.json": "imprime el resultado como JSON (sus textos en inglés, diga lo que diga --lang: el JSON es para "
                     "programas)",
    "cli.help.lang": "el idioma de la salida de texto: {langs} (por defecto: de LC_ALL, LC_MESSAGES o LANG, si no "
                     "en)",
    "cli.help.log": "analiza un log de entrenamiento (un archivo, o - para la entrada estándar)",
    "cli.help.list_gpus": "muestra el catálogo de GPU y termina",
    "cli.help.list_models": "muestra los modelos predefinidos (--model) con sus parámetros y termina",
    "cli.help.version": "muestra la versión y termina",
    "cli.help.help": "muestra esta ayuda y termina",
    "cli.help.compare": "el tiempo y el coste de la ejecución en cada tarjeta del catálogo (marcadas la más barata y "
                        "la más rápida), y la más barata en menos de --deadline_hours, la más rápida por menos de "
                        "--budget_usd, 8 GPU frente a 1",
    "argparse.usage: ": "uso: ",
    "argparse.positional arguments": "argumentos posicionales",
    "argparse.options": "opciones",
    "argparse.unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "argparse.argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "argparse.expected one argument": "se esperaba un valor",
    "argparse.expected at most one argument": "se esperaba como mucho un valor",
    "argparse.ignored explicit argument %r": "argumento explícito ignorado: %r",
    "argparse.invalid choice: %(value)r (choose from %(choices)s)":
        "opción no válida: %(value)r (elige entre %(choices)s)",
    "argparse.ambiguous option: %(option)s could match %(matches)s":
        "opción ambigua: %(option)s puede ser %(matches)s",
    "cli.error": "error",
    "cli.reading_stdin": "Leyendo el log desde la terminal: pégalo y pulsa Ctrl-D (Ctrl-Z Intro en Windows).",
    "cli.warning": "AVISO",
    "cli.scenario": "Escenario",
    "cli.model": "modelo",
    "cli.model.text": "{v[n_layer]} capas x {v[n_head]} cabezas x {v[n_embd]} de ancho, vocabulario {v[vocab_size]}, "
                      "bloque {v[block_size]}: {t[params]} parámetros (cuenta de nanoGPT)",
    "cli.model.arch": "{a[model_type]}: {v[n_layer]} capas x {v[n_head]} cabezas ({a[n_kv_head]} de clave/valor) "
                      "x {v[n_embd]} de ancho, MLP {ffn}, vocabulario {v[vocab_size]}, bloque {v[block_size]}: "
                      "{t[params]} parámetros (todos)",
    "cli.parallel": "Paralelismo",
    "cli.layout": "disposición",
    "cli.layout.text": "{p[nodes]} nodos x {p[gpus_per_node]}: {p[dp]} de datos ({sharding}) x {p[tp]} tensorial "
                       "x {p[pp]} de pipeline x {p[cp]} de contexto; {link} dentro de un nodo, {network} entre nodos",
    "cli.comm": "comunicación",
    "cli.comm.text": "{total} sin ocultar por iteración ({share} del paso de {step}): {parts}",
    "cli.comm.data_s": "paralelismo de datos",
    "cli.comm.tensor_s": "paralelismo tensorial",
    "cli.comm.context_s": "paralelismo de contexto",
    "cli.comm.pipeline_s": "envíos del pipeline",
    "cli.bubble": "burbuja del pipeline",
    "cli.bubble.text": "{bubble} por iteración ({share})",
    "cli.hfu": "HFU",
    "cli.hfu.text": "{hfu} del pico contando el recálculo (activation_checkpointing={ac})",
    "cli.tokens": "tokens por iteración",
    "cli.tokens.text": "{t[tokens_per_iter]} = {v[batch_size]} x {r[micro_steps_total]} x {v[block_size]}",
    "cli.gpu": "GPU",
    "cli.gpu.text": "{v[num_gpus]} x {g[name]}, {t[dtype]}, compile={v[compile]}: pico de {t[peak_tflops]} "
                    "({t[gpu.peak_label]})",
    "cli.flops": "FLOPs por iteración",
    "cli.flops.text": "{t[flops_per_iter]} (6N + 12LHQT por token, estimate_mfu de nanoGPT)",
    "cli.speed": "Velocidad tras el calentamiento",
    "cli.time": "tiempo por iteración",
    "cli.time.text": "{t[ms_per_iter]} (intervalo de {t[ms_per_iter_low]} a {t[ms_per_iter_high]})",
    "cli.mfu": "MFU",
    "cli.mfu.text": "{t[mfu]} del pico de la {g[name]} ({t[mfu_source]}; intervalo de {t[mfu_low]} a {t[mfu_high]}); "
                    "lo limita {t[bound]}",
    "cli.throughput": "rendimiento",
    "cli.throughput.text": "{t[tokens_per_sec]} ({t[tokens_per_sec_per_gpu]} por GPU), {t[achieved_tflops]} por GPU",
    "cli.printed": "nanoGPT imprimirá",
    "cli.printed.text": "mfu {t[nanogpt_printed_mfu]} (respecto a los 312 TFLOPS de una A100; -100.00% en las 5 "
                        "primeras iteraciones)",
    "cli.first": "Primera iteración",
    "cli.iter0": "iteración 0 en el log",
    "cli.iter0.text": "{t[first_iter_logged_seconds]}: compilación {t[compile_seconds]}, compilación del grafo de "
                      "evaluación {t[eval_compile_seconds]}, evaluación del paso 0 {t[step0_eval_seconds]}, primer "
                      "paso {t[first_step_seconds]}",
    "cli.startup": "más el arranque",
    "cli.startup.text": "{t[startup_seconds]} (contexto de CUDA, construcción del modelo) antes del bucle",
    "cli.whole": "Ejecución completa",
    "cli.total": "total",
    "cli.total.text": "{t[total_seconds]} (intervalo de {t[total_seconds_low]} a {t[total_seconds_high]})",
    "cli.warmup": "  calentamiento",
    "cli.warmup.text": "{t[warmup_seconds]}",
    "cli.training": "  pasos de entrenamiento",
    "cli.training.text": "{t[training_seconds]} ({t[steps]} pasos: max_iters + 1)",
    "cli.evals": "  evaluaciones posteriores",
    "cli.evals.text": "{t[eval_seconds]} ({t[eval_count]} x {t[eval_each_seconds]})",
    "cli.checkpoints": "  checkpoints",
    "cli.checkpoints.text": "{t[checkpoint_total_seconds]}",
    "cli.memory": "Memoria por GPU",
    "cli.memory.text": "{t[memory_need_gib]} de {t[memory_capacity_gib]}: {t[memory_verdict]}",
    "cli.cost": "Coste (ejecución completa)",
    "cli.rented": "alquilada",
    "cli.rented.text": "{c[run_cost]}: {c[gpu_hours]} a {c[price_per_hour]} ({c[price_source]})",
    "cli.rented.none": "{c[run_cost]} para esta tarjeta (indica --price-per-hour)",
    "cli.energy": "energía",
    "cli.energy.none": "desconocida para esta tarjeta (indica --power-watts)",
    "cli.energy.text": "{c[energy_kwh]} a {c[power_watts]}",
    "cli.energy.cost": ": {c[energy_cost]} a {c[kwh_price]}",
    "cli.energy.no_price": " (indica --kwh-price para su coste)",
    "cli.check": "Comprobación",
    "cli.verdict": "veredicto",
    # -- logformats/: el título de cada formato, qué significa el tiempo de una línea y cómo se obtiene la cifra
    # estable (el inglés es el FORMATS de cada módulo) --
    "logformat.nanogpt.title": "nanoGPT (karpathy/nanoGPT train.py)",
    "logformat.nanogpt.semantics":
        "una línea por iteración impresa (cada log_interval); su tiempo es el de esa iteración, un paso del optimizador"
        " (todos los micro-pasos de gradient_accumulation_steps)",
    "logformat.nanogpt.steady":
        "mediana de las iteraciones que quedan tras la iteración 0, las iteraciones de calentamiento que nanoGPT "
        "imprime con mfu -100.00%, la iteración impresa tras cada línea 'step N: train loss …, val loss …', y los "
        "picos",
    "logformat.modded-nanogpt.title": "modded-nanogpt (KellerJordan/modded-nanogpt)",
    "logformat.modded-nanogpt.semantics":
        "train_time acumulado (sin contar la validación): por paso entre líneas de entrenamiento consecutivas, o una "
        "media sobre cada ventana entre líneas de validación",
    "logformat.modded-nanogpt.steady":
        "mediana de las diferencias de train_time por paso (o por ventana); la primera ventana es su step_avg",
    "logformat.llm.c.title": "llm.c (karpathy/llm.c train_gpt2.cu, train_gpt2.c)",
    "logformat.llm.c.semantics":
        "una línea por paso del optimizador; su tiempo es el de ese paso (eventos CUDA solo alrededor de la sección de "
        "entrenamiento)",
    "logformat.llm.c.steady":
        "mediana de los pasos que quedan tras los cinco primeros y los picos; las evaluaciones nunca caen dentro de un "
        "tiempo impreso",
    "logformat.megatron.title": "Megatron-LM, Megatron-DeepSpeed",
    "logformat.megatron.semantics":
        "una línea por intervalo del log; su tiempo es la media de las iteraciones del intervalo (pasos del "
        "optimizador)",
    "logformat.megatron.steady":
        "mediana de los intervalos que quedan tras el primer intervalo de una ejecución, el intervalo posterior a cada "
        "evaluación o guardado de checkpoint, los intervalos con solo iteraciones omitidas, y los picos",
    "logformat.torchtitan.title": "torchtitan (pytorch/torchtitan)",
    "logformat.torchtitan.semantics":
        "una línea cada log_freq pasos del optimizador, sin tiempo: el tiempo por paso es la diferencia de las marcas "
        "de tiempo entre los pasos de una línea a otra (una media del intervalo), o si no, tokens por paso ÷ tps",
    "logformat.torchtitan.steady":
        "mediana de los tiempos por intervalo que quedan tras los pasos de calentamiento y los picos",
    "logformat.litgpt.title": "litgpt (Lightning-AI/litgpt pretrain, finetune)",
    "logformat.litgpt.semantics":
        "una línea por micro-paso (iter); step cuenta los pasos del optimizador; el tiempo es el de ese micro-paso",
    "logformat.litgpt.steady":
        "mediana de los tiempos de los micro-pasos (la cifra por iter); el tiempo restante y el MFU usan el tiempo "
        "medio de un micro-paso × los micro-pasos por paso del optimizador",
    "logformat.nemo.title": "NeMo (NVIDIA NeMo, recetas de NeMo 2)",
    "logformat.nemo.semantics":
        "una línea por paso del optimizador (global_step); train_step_timing es el tiempo de ese paso en segundos",
    "logformat.nemo.steady": "mediana de los pasos que quedan tras los pasos de calentamiento y los picos",
    "logformat.deepspeed.title": "DeepSpeed (motor y motor de pipeline de microsoft/DeepSpeed)",
    "logformat.deepspeed.semantics":
        "motor de pipeline: una línea cada steps_per_print pasos del optimizador, su iter time es la media del "
        "intervalo; temporizador de rendimiento: las muestras/s de un paso del optimizador (tiempo = train_batch_size ÷"
        " CurrSamplesPerSec)",
    "logformat.deepspeed.steady":
        "mediana de los pasos o intervalos que quedan tras el primero de una ejecución y los picos",
    "logformat.build-nanogpt.title": "build-nanogpt (karpathy/build-nanogpt train_gpt2.py)",
    "logformat.build-nanogpt.semantics":
        "una línea por paso del optimizador; dt es el tiempo de ese paso, incluida una evaluación al comienzo",
    "logformat.build-nanogpt.steady":
        "mediana de los pasos que quedan tras el paso 0, los pasos de calentamiento, el paso posterior a cada línea "
        "'validation loss', y los picos",
    "logformat.llama2.c.title": "llama2.c (karpathy/llama2.c train.py)",
    "logformat.llama2.c.semantics": "una línea por iteración impresa; su tiempo es el de ese paso del optimizador",
    "logformat.llama2.c.steady":
        "como en nanoGPT: mediana de las iteraciones que quedan tras la iteración 0, el calentamiento, la iteración "
        "posterior a cada evaluación, y los picos",
    "logformat.hf-trainer.title": "Trainer de Hugging Face (transformers)",
    "logformat.hf-trainer.semantics":
        "la barra cuenta pasos del optimizador (su velocidad es una media móvil); los diccionarios del log llevan "
        "pérdidas, no tiempos; train_steps_per_second es una media de toda la ejecución",
    "logformat.hf-trainer.steady":
        "como en una barra de tqdm; el train_steps_per_second de toda la ejecución solo cuando no hay velocidades de la"
        " barra",
    "logformat.lightning.title": "barra de progreso de PyTorch Lightning",
    "logformat.lightning.semantics":
        "una actualización de la barra por lote; la velocidad es la media móvil suavizada de tqdm; la columna de tiempo"
        " transcurrido es exacta al segundo",
    "logformat.lightning.steady":
        "la pendiente de la columna de tiempo transcurrido (los pasos tras el primero de cada ejecución) cuando la "
        "velocidad suavizada no coincide con ella; si no, la segunda mitad de las velocidades; se dejan fuera los cinco"
        " primeros pasos de cada ejecución",
    "logformat.tqdm.title": "barra de progreso de tqdm (cualquier entrenamiento)",
    "logformat.tqdm.semantics": "una actualización de la barra por paso; la velocidad, como en Lightning (it/s o s/it)",
    "logformat.tqdm.steady":
        "como en Lightning; de varias barras solo se conserva la de mayor total (una barra de evaluación es más corta "
        "que la de entrenamiento)",
    "logformat.maxtext.title": "MaxText (AI-Hypercomputer/maxtext, JAX en TPU y GPU)",
    "logformat.maxtext.semantics":
        "una línea por paso del optimizador; seconds es el tiempo de reloj de ese paso en el host, desde el final del "
        "paso anterior (una evaluación o un guardado de checkpoint entre ambos queda dentro)",
    "logformat.maxtext.steady":
        "mediana de los pasos que quedan tras los cinco primeros (compilación y artefactos del envío asíncrono), el "
        "paso posterior a cada evaluación o guardado de checkpoint, y los picos",
    "logformat.nanotron.title": "nanotron (huggingface/nanotron)",
    "logformat.nanotron.semantics":
        "una línea cada iteration_step_info_interval pasos del optimizador; elapsed_time_per_iteration_ms es la media "
        "del intervalo (los números con sufijo K son miles)",
    "logformat.nanotron.steady": "mediana de los intervalos que quedan tras el primero de una ejecución y los picos",
    "logformat.olmo.title": "OLMo (allenai/OLMo train.py)",
    "logformat.olmo.semantics":
        "una cabecera [step=N/M] seguida de una métrica por línea; batches_per_second es una media móvil sobre los "
        "últimos window_size pasos del optimizador (sin las evaluaciones)",
    "logformat.olmo.steady":
        "como con las velocidades de una barra de progreso: la segunda mitad de las medias móviles, tras los cinco "
        "primeros pasos",
    "logformat.mlx.title": "ajuste fino con MLX (mlx-examples lora, mlx-lm)",
    "logformat.mlx.semantics":
        "una línea cada steps_per_report iteraciones; It/sec es su velocidad media (tiempo por iteración = 1 ÷ "
        "It/sec), sin la validación",
    "logformat.mlx.steady": "mediana de los intervalos que quedan tras el primero de una ejecución y los picos",
    "logformat.fairseq.title": "fairseq (facebookresearch/fairseq fairseq-train)",
    "logformat.fairseq.semantics":
        "una línea cada log_interval actualizaciones (pasos del optimizador): el tiempo por actualización es wpb ÷ wps "
        "(o si no, 1 ÷ ups), una media del intervalo; los resúmenes de época promedian la época",
    "logformat.fairseq.steady":
        "mediana de los intervalos que quedan tras el primero de una ejecución, el intervalo posterior a cada "
        "validación, y los picos; los resúmenes de época solo cuando no hay líneas de intervalo",
    "logformat.keras.title": "model.fit de Keras (Keras de TensorFlow 2.x, Keras 3)",
    "logformat.keras.semantics":
        "una línea por época: el tiempo medio por paso en la época (ms/step tal como se imprime, o si no, los segundos "
        "de la época ÷ sus pasos), con la validación incluida cuando la línea muestra val_loss",
    "logformat.keras.steady": "mediana de las épocas que quedan tras la primera (lleva la compilación) y los picos",
    "logformat.tf-estimator.title": "TensorFlow Estimator (tf.estimator, TPUEstimator)",
    "logformat.tf-estimator.semantics":
        "una línea cada log_step_count_steps pasos del optimizador: global_step/sec es su velocidad media (tiempo por "
        "paso = 1 ÷ ese valor); si no, los segundos entre paréntesis de 'loss = L, step = N (T sec)' entre los pasos "
        "desde la línea anterior",
    "logformat.tf-estimator.steady":
        "mediana de los intervalos que quedan tras el primero de una ejecución, el intervalo posterior a cada "
        "guardado de checkpoint o evaluación, y los picos",
    "logformat.tinygrad.title": "ejemplos de entrenamiento de tinygrad (hlb_cifar10, mlperf model_train)",
    "logformat.tinygrad.semantics":
        "una línea por paso; su primer tiempo en ms es el tiempo de reloj de ese paso (las evaluaciones se imprimen y "
        "miden aparte)",
    "logformat.tinygrad.steady":
        "mediana de los pasos que quedan tras el calentamiento (la captura del JIT) y los picos",
    "logformat.generic.title": "cualquier entrenamiento: un contador de pasos y un tiempo por paso",
    "logformat.generic.semantics":
        "una línea por paso impreso; su tiempo se toma como el de ese paso (o, a partir de marcas de tiempo, la media "
        "del intervalo)",
    "logformat.generic.steady":
        "mediana de los pasos que quedan tras el calentamiento, el paso posterior a cada línea de evaluación, y los "
        "picos",
    # -- errores de entrada --
    "error.required": "es obligatorio: {range}",
    "error.must_be": "debe ser {range}, no {shown}{hint}",
    "error.too_close_to_zero": "debe ser {range}, no {shown}: demasiado cerca de cero para calcular; el menor tamaño "
                               "admitido distinto de 0 es {tiny}",
    "error.unknown_input": "no es una entrada de esta calculadora; las entradas conocidas son: {known}",
    "error.unknown_param": "no es una entrada de esta calculadora; se ha ignorado",
    "error.too_many_params": "tiene demasiados parámetros; todas las entradas tienen su valor por defecto",
    "error.n_head_divides": "debe dividir a n_embd ({n_embd} no es múltiplo de {n_head}); nanoGPT exige "
                            "n_embd % n_head == 0",
    "error.gas_multiple": "debe ser múltiplo de num_gpus ({num_gpus}): nanoGPT exige "
                          "gradient_accumulation_steps % ddp_world_size == 0",
    "error.kv_divides": "debe dividir a n_head ({n_head} cabezas de consulta no son múltiplo de {n_kv_head} cabezas "
                        "de clave/valor)",
    "error.tp_divides_heads": "debe dividir las cabezas de atención: {tp} GPU no reparten por igual {n_head} cabezas "
                              "de consulta y {n_kv_head} de clave/valor",
    "error.pp_layers": "debe ser como mucho n_layer: {pp} etapas de pipeline para {n_layer} capas dejan una etapa "
                       "vacía",
    "error.interleave_layers": "es demasiado: {pp} etapas x {v} etapas virtuales son más trozos que las {n_layer} "
                               "capas",
    "error.interleave_needs_pp": "necesita un pipeline: {v} etapas virtuales reparten las capas de una etapa de "
                                 "pipeline, y pipeline_parallel es 1",
    "error.cp_divides": "debe dividir a block_size ({block_size} tokens no se reparten por igual entre {cp} GPU)",
    "error.parallel_divides": "debe ser múltiplo de tensor_parallel x pipeline_parallel x context_parallel "
                              "({tp} x {pp} x {cp} = {product}); {num_gpus} GPU no se pueden organizar así",
    "error.model_unknown": "modelo desconocido '{text}'; conocidos: {known}",
    "error.model_unknown_suggest": "modelo desconocido '{text}'; ¿querías decir: {suggestions}?",
    "range.model": "el nombre de un modelo predefinido (--list-models)",
    "group.parallel": "Paralelismo",
    "field.model.label": "Modelo predefinido",
    "field.model.help": "Un modelo por su nombre (llama-3.1-8b, qwen2.5-0.5b, gpt2-xl...: --list-models); fija los "
                        "campos del modelo, y cualquiera de ellos que se dé a su lado manda.",
    "field.model_type.label": "Arquitectura",
    "field.model_type.help": "gpt2 es el modelo de nanoGPT; gpt_neox (Pythia) y mpt son GPT de otros tamaños; llama, "
                             "mistral y qwen2 tienen SwiGLU, RMSNorm, RoPE y atención de consultas agrupadas (el "
                             "model_type del config.json).",
    "field.n_kv_head.label": "Cabezas KV",
    "field.n_kv_head.help": "Cabezas de clave/valor de la atención de consultas agrupadas (num_key_value_heads); "
                            "deben dividir a n_head. Vacío: n_head.",
    "field.intermediate_size.label": "Ancho del MLP",
    "field.intermediate_size.help": "El ancho oculto del MLP (intermediate_size). Vacío: 4 x n_embd en los GPT; en "
                                    "los tipos Llama, la regla de Meta: 8/3 x n_embd redondeado a 256.",
    "field.tie_word_embeddings.label": "Embeddings atados",
    "field.tie_word_embeddings.help": "La capa de salida comparte el embedding de tokens (tie_word_embeddings). "
                                      "Vacío: lo propio del tipo (atados en gpt2 y mpt).",
    "field.gpus_per_node.label": "GPU por nodo",
    "field.gpus_per_node.help": "GPU en una máquina, unidas por NVLink o PCIe; las máquinas hablan por la red. Menos "
                                "si num_gpus es menor.",
    "field.sharding.label": "Fragmentación",
    "field.sharding.help": "Cómo guardan el modelo los rangos de paralelismo de datos: ddp (todo replicado, "
                           "gradientes con all-reduce), zero1 (estados del optimizador repartidos), zero2 (y "
                           "gradientes), fsdp (y pesos: ZeRO-3), hsdp (fsdp dentro de un nodo, replicado entre "
                           "nodos).",
    "field.tensor_parallel.label": "Paralelismo tensorial",
    "field.tensor_parallel.help": "GPU que reparten las multiplicaciones de cada capa (al estilo Megatron, con "
                                  "paralelismo de secuencia); debe dividir a n_head y a las cabezas KV.",
    "field.pipeline_parallel.label": "Etapas de pipeline",
    "field.pipeline_parallel.help": "GPU que reparten las capas en etapas (planificación 1F1B); como mucho n_layer.",
    "field.pipeline_interleave.label": "Etapas virtuales",
    "field.pipeline_interleave.help": "Trozos del modelo por GPU de pipeline (1F1B intercalado): la burbuja se "
                                      "reduce en ese factor y los envíos crecen en él.",
    "field.context_parallel.label": "Paralelismo de contexto",
    "field.context_parallel.help": "GPU que reparten cada secuencia (ring attention); debe dividir a block_size.",
    "field.activation_checkpointing.label": "Checkpointing de activaciones",
    "field.activation_checkpointing.help": "none guarda todas las activaciones; selective recalcula parte del "
                                           "forward (una capa de cada dos, como torchtitan); full recalcula todo el "
                                           "forward en el backward. El recálculo cuenta en el tiempo, no en el MFU.",
    "field.network.label": "Red",
    "field.network.help": "La red entre nodos, por GPU: auto es la habitual para la tarjeta (InfiniBand NDR para "
                          "H100/H200/B200, HDR para A100, 100 GbE en otro caso); ib-xdr 800, ib-ndr 400, ib-hdr 200 "
                          "Gb/s; roce-400, roce-200; ethernet-100, ethernet-25.",
    "error.using_default": "{error}; se usa el valor por defecto ({default})",
    "error.using_the_default": "{error}; se usa el valor por defecto",
    "error.using": "{error}; se usa {value}",
    "error.custom_required": "es obligatorio cuando gpu es 'custom'",
    "error.gpu_ambiguous": "'{text}' puede ser {choices}; indica uno de esos ids",
    "error.gpu_unknown_suggest": "GPU desconocida '{text}'; ¿quizá: {suggestions}? (o 'custom')",
    "error.gpu_unknown": "GPU desconocida '{text}'; conocidas: {known} (o 'custom')",
    "error.no_bf16": "la {gpu} no tiene tensor cores BF16; usa float16. (torch.cuda.is_bf16_supported() puede decir "
                     "True, como en una T4, por emulación, que es lenta; por eso el valor por defecto de nanoGPT "
                     "elige bfloat16 ahí)",
    "error.no_bf16_no_fp32": "la {gpu} no tiene tensor cores BF16 ni una cifra FP32 aquí; usa float16",
    "error.no_peak": "el catálogo no tiene pico {dtype} para la {gpu}; elige otro dtype, o gpu=custom con tu propio "
                     "pico",
    "error.too_large": "estas entradas dan un resultado demasiado grande para calcularlo; usa valores más pequeños",
    "error.unreadable": "entrada ilegible",
    "error.internal": "error interno: la calculadora ha fallado con estas entradas ({type})",
    "error.cannot_read": "no se puede leer {path}: {why}",
    "error.not_python": "no es un archivo Python (error de sintaxis en la línea {line})",
    "error.not_literal": "un valor no es un literal",
    "error.config_too_large": "es demasiado grande para un config.json: {size} caracteres (como mucho {limit})",
    "error.config_too_deep": "anida más hondo que un config.json (más de {limit} niveles)",
    "error.config_not_json": "no es JSON: se rompe en la línea {line}, columna {column} (en {near})",
    "error.config_digits": "tiene un número de más de {limit} cifras, que no se puede leer",
    "error.config_not_object": "debe ser un único objeto JSON ({{...}}) con los ajustes del modelo, no un {kind} "
                               "de JSON",
    "error.config_not_model": "no es la configuración de un modelo: no tiene ninguna de las claves que dan las "
                              "capas o la anchura ({keys})",
    "error.config_missing": "falta en el config.json; hace falta para contar el modelo",
    "error.config_conflict": "no coincide con {name} en el mismo config.json ({other_value} frente a {value})",
    "error.config_no_type": "falta en el config.json y no se conoce ninguna de las arquitecturas que lista; "
                            "admitidas: {supported}",
    "error.config_model_type": "{shown} no es una arquitectura que esta calculadora sepa contar; admitidas: "
                               "{supported}",
    "error.config_head_dim": "{shown} no es {width} / {heads} ({n_embd} / {n_head}): no se modelan cabezas de "
                             "atención de otra anchura que la del modelo",
    "error.config_experts": "{shown}: no se modelan las capas de mezcla de expertos",
    "error.config_not_modelled": "{shown} no está modelado: {model_type} se cuenta con {assumed}",
    "error.config_key": "{name} en el config.json: {error}",
    "oserror.ENOENT": "no existe el archivo",
    "oserror.EACCES": "permiso denegado",
    "oserror.EISDIR": "es una carpeta",
    "oserror.ENOTDIR": "una parte de la ruta no es una carpeta",
    "oserror.ELOOP": "demasiados enlaces simbólicos",
    "oserror.ENAMETOOLONG": "el nombre es demasiado largo",
    "gpu.choice": "{id} ({name})",
    "list.or": " o ",
    # -- lo que admite un campo --
    "range.bool": "true o false",
    "range.choice": "uno de {choices}",
    "range.gpu": "un id de GPU del catálogo, o 'custom'",
    "range.int_between": "un número entero con {lo} {op} {name} <= {hi}",
    "range.number_between": "un número con {lo} {op} {name} <= {hi}",
    "range.int_min": "un número entero >= {lo}",
    "range.number_min": "un número >= {lo}",
    "range.int": "un número entero",
    "range.number": "un número",
    "hint.digits": "; escribe los números con las cifras 0-9",
    "hint.invisible": "; contiene un carácter de control o invisible",
    "hint.radix": "; no se aceptan hexadecimal, octal ni binario",
    "hint.comma": " (los decimales se escriben con punto, como en Python: 0.5; y sin separador de miles)",
    "show.digits": "un número de unas {n} cifras",
    "show.type": "un {type}",
    # -- words/parallel.py: la sección «Muchas GPU» --
    "list.semicolon": "; ",
    "many.layout_single": "Este entrenamiento usa una sola GPU: no se reparte nada ni se envía nada entre GPU. Pon "
                          "más de 1 en GPU para ver cómo se reparte un entrenamiento entre muchas.",
    "many.nodes_one": "en una máquina de {per_node}",
    "many.nodes": "en {nodes} nodos (máquinas) de {per_node}",
    "many.model_split": "; cada rango de datos es a su vez un grupo de {mp} GPU que comparten una copia del modelo",
    "many.layout": "Este entrenamiento usa {n} GPU {where}, repartidas como {dp} de datos × {tp} de tensor × {pp} "
                   "de pipeline × {cp} de contexto = {n}. Cada uno de los {dp} rangos de paralelismo de datos "
                   "recibe su propia porción de los datos: micropasos por iteración: {micro}, cada uno de {batch} × "
                   "{tokens} tokens{split}.",
    "many.sharding_single": "Con un solo rango de datos no se fragmenta nada: cada GPU guarda sus pesos ({w}), sus "
                            "gradientes ({g}) y el estado de AdamW ({o}).",
    "many.sharding.ddp": "Con ddp cada GPU guarda una copia entera de los pesos ({w}), de sus gradientes ({g}) y del "
                         "estado de AdamW ({o}); tras la pasada hacia atrás los {dp} rangos suman sus gradientes con "
                         "un all-reduce, y así todas las copias dan el mismo paso.",
    "many.sharding.zero1": "Con zero1 se reparte el estado del optimizador: cada uno de los {dp} rangos guarda "
                           "1/{shard} de él ({o}), pero los pesos ({w}) y los gradientes ({g}) enteros; actualiza su "
                           "parte de los pesos y la envía a los demás.",
    "many.sharding.zero2": "Con zero2 se reparten también los gradientes: cada uno de los {dp} rangos guarda los pesos "
                           "enteros ({w}) y 1/{shard} de los gradientes ({g}) y del estado del optimizador ({o}).",
    "many.sharding.fsdp": "Con fsdp (ZeRO-3) cada uno de los {dp} rangos guarda solo 1/{shard} de los pesos ({w}), de "
                          "los gradientes ({g}) y del estado del optimizador ({o}). Justo antes de que corra una "
                          "capa, las GPU se envían sus trozos de ella (un all-gather) y tienen la capa entera un "
                          "momento ({gathered} a la vez); tras su pasada hacia atrás suman sus gradientes y cada una "
                          "se queda con la suma de su trozo (un reduce-scatter).",
    "many.sharding.hsdp": "Con hsdp el estado se reparte como en fsdp, pero solo entre las {shard} GPU de un nodo "
                          "({w} de pesos, {g} de gradientes, {o} de estado del optimizador por GPU); cada nodo tiene "
                          "una copia entera, y los nodos suman sus gradientes por la red una vez por iteración.",
    "many.over_link": "por el enlace del nodo ({name}, {bw} por GPU)",
    "many.over_network": "por la red ({name}, {bw} por GPU)",
    "many.comm_single": "Una sola GPU no envía nada a otra: toda la iteración es cálculo.",
    "many.comm": "Cada GPU calcula durante {compute} por iteración y espera {comm} a las demás, el {share} de la "
                 "iteración ({step}):",
    "many.comm.tensor": "{t} en los all-gather y reduce-scatter de las activaciones del paralelismo de tensor, en "
                        "cada capa, {over}",
    "many.comm.context": "{t} en las claves y valores de la atención en anillo, no ocultos tras la atención, {over}",
    "many.comm.pipeline": "{t} en las activaciones y gradientes que se envían entre etapas del pipeline {over}",
    "many.comm.data.ddp": "{t} en el all-reduce de los gradientes (en fp32, el doble de su tamaño por el cable) "
                          "{over}, casi todo oculto tras la pasada hacia atrás de las últimas capas",
    "many.comm.data.zero1": "{t} en el reduce-scatter de los gradientes y el all-gather de los pesos {over}",
    "many.comm.data.zero2": "{t} en los reduce-scatter de gradientes de cada micropaso y el all-gather de los pesos "
                            "{over}",
    "many.comm.data.fsdp": "{t} en los all-gather de los pesos (los {size} del modelo en bf16, dos veces por "
                           "micropaso: hacia delante y hacia atrás) y los reduce-scatter de los gradientes {over}, "
                           "tras lo que oculta la precarga de la capa siguiente",
    "many.comm.data.hsdp": "{t} en los all-gather y reduce-scatter dentro del nodo, y el all-reduce de los gradientes "
                           "entre nodos {over}",
    "many.bubble_none": "Aquí no hay pipeline (pipeline_parallel = 1), así que no hay burbuja: todas las GPU trabajan "
                        "la iteración entera.",
    "many.bubble": "Con {pp} etapas de pipeline, el calendario 1F1B deja GPU paradas mientras el pipeline se llena y "
                   "se vacía: ({pp} − 1) / {v} tiempos de micropaso de {micro} por rango, {t} por iteración "
                   "({share}). Más micropasos por rango (acumulación de gradientes) o más etapas virtuales la "
                   "reducen.",
    "many.recompute_none": "No se recalcula nada: se guardan todas las activaciones que necesita la pasada hacia atrás "
                           "({act} por GPU), así que la GPU hace exactamente la aritmética del modelo y la utilización "
                           "de FLOPs del hardware (HFU) es igual al MFU, {mfu}.",
    "many.recompute.selective": "El checkpointing selectivo de activaciones guarda parte de ellas ({act} por GPU) y "
                                "recalcula el resto durante la pasada hacia atrás. El recálculo cuesta tiempo pero no "
                                "es aritmética del modelo, así que el MFU no lo cuenta: {mfu}; la utilización de "
                                "FLOPs del hardware (HFU), que sí lo cuenta, es {hfu}.",
    "many.recompute.full": "El checkpointing completo de activaciones guarda solo la entrada de cada capa ({act} por "
                           "GPU) y repite toda la pasada hacia delante durante la pasada hacia atrás. El recálculo "
                           "cuesta tiempo pero no es aritmética del modelo, así que el MFU no lo cuenta: {mfu}; la "
                           "utilización de FLOPs del hardware (HFU), que sí lo cuenta, es {hfu}.",
    "many.bound": "El paso está limitado por {bound}.",
    "many.bound_communication": "El paso está limitado por la {bound}: las GPU se esperan unas a otras más tiempo del "
                                "que calculan. Ayudarían menos nodos, hsdp en lugar de fsdp, una red más rápida o más "
                                "tokens por micropaso.",
    # -- compare.across_nodes: el mismo entrenamiento en 1 a 8 nodos --
    "nodes.nodes": "{nodes} × {per_node}",
    "nodes.speedup": "{speedup} ({efficiency} de lo lineal)",
    "nodes.current": "tu entrenamiento",
    # -- web.py: el selector de modelo y un config.json pegado --
    "config.read": "Leído de {what}: {fields}.",
    "config.nanogpt": "la configuración de nanoGPT",
    "config.ignored": " Sin usar (no son entradas aquí): {names}.",
    "error.config_nothing": "no contiene ninguna entrada de la calculadora (con los nombres de nanoGPT: n_layer = 12, "
                            "batch_size = 16, ...)",
}
