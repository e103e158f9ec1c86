/**
 * An image–text retrieval set as every reader returns it: images, and captions pointing at them,
 * each caption with its language. Every caption is kept (the Karpathy 5k test split has 25,010,
 * not 25,000); images may have any number of captions.
 */
export interface CaptionedImage {
  /** the id embeddings are matched by: the file name (Karpathy `filename`, COCO `file_name`,
   *  XTD10's name) or Crossmodal-3600's `image/key` */
  id: string;
  /** path relative to the image root (Karpathy `filepath/filename`), when the format gives one */
  file: string;
  /** Karpathy split (`train`, `val`, `test`, `restval`), when the format has one */
  split?: string;
}

export interface Caption {
  /** Karpathy `sentid`, COCO annotation `id`, or `<image id>#<lang>[#<n>]` where the format has none */
  id: string;
  /** index into `images` */
  image: number;
  text: string;
  /** language code (BCP 47 as the source writes it) */
  lang: string;
}

export interface ImageTextSet {
  images: CaptionedImage[];
  captions: Caption[];
}
