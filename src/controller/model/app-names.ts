import {randomInt} from 'node:crypto'

// The real controller joins a six-letter adjective and an eight-letter noun (always 15 characters).
// prettier-ignore
const ADJECTIVES = [
  'absurd', 'active', 'amazed', 'ardent', 'bright', 'brazen', 'breezy', 'bronze', 'candid', 'clever',
  'cosmic', 'covert', 'crafty', 'daring', 'dapper', 'dreamy', 'dulcet', 'earthy', 'exotic', 'fierce',
  'frozen', 'gentle', 'gilded', 'golden', 'hearty', 'hollow', 'humble', 'jovial', 'karmic', 'lively',
  'lunary', 'mellow', 'modern', 'nimble', 'placid', 'polite', 'prismy', 'quaint', 'rising', 'rugged',
  'serene', 'silent', 'silver', 'smooth', 'snappy', 'steady', 'sunlit', 'tender', 'timely', 'tribal',
  'upbeat', 'urbane', 'velvet', 'vernal', 'violet', 'wintry', 'wooden', 'zenith',
]
// prettier-ignore
const NOUNS = [
  'aardvark', 'airplane', 'antelope', 'anteater', 'backpack', 'bluebird', 'buckaroo', 'cardinal',
  'cheetahs', 'chipmunk', 'cupboard', 'daffodil', 'dinosaur', 'dolphins', 'doughnut', 'elephant', 'firework',
  'flamingo', 'gemstone', 'giraffes', 'goldfish', 'hedgehog', 'hologram', 'inchworm', 'jamboree',
  'keyboard', 'kingfish', 'labrador', 'lemonade', 'magazine', 'mandolin', 'marigold', 'mongoose', 'moonbeam',
  'notebook', 'nutshell', 'octopods', 'paintbox', 'pancakes', 'penguins', 'pinecone', 'platypus', 'quagmire',
  'raindrop', 'reindeer', 'sailboat', 'sandwich', 'seahorse', 'sprinkle', 'squirrel', 'starfish', 'sunlight',
  'teaspoon', 'tortoise', 'treetops', 'umbrella', 'unicorns', 'vacation', 'waterbed', 'windmill', 'ziggurat',
]

/** A random `<adjective>-<noun>` app id, like `frozen-inchworm`. */
export function generateAppName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}`
}
